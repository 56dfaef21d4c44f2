-- pgbench: the SQL of one POST /v1/estoque/consumos of 1 kg (services/estoque/src/app/consumos.cpp,
-- storage/lotes.cpp, storage/consumos.cpp), in one transaction: idempotency lock and lookup, the
-- plant's day and the transaction's instant, the FEFO candidates locked in order, the balance
-- change with its ledger row, the consumption and its lot, the audit record and its sealing queue
-- entry, the idempotency record. Kept in step by hand. Colons inside literals are written '#' and
-- replaced back (pgbench would read ':name' as a variable).
\set m random(1, 1000)
\set k random(1, 9000000000000000000)
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended('servico' || :client_id || '-' || :k, 7206130927));
SELECT hash_requisicao, status, cabecalhos, corpo FROM idempotencia WHERE usuario = 'servico' AND chave = :client_id || '-' || :k;
SELECT (now() AT TIME ZONE 'America/Sao_Paulo')::date::text, to_char(now() AT TIME ZONE 'UTC', replace('YYYY-MM-DD"T"HH24#MI#SS.MS"Z"', '#', ':'));
WITH c AS (SELECT id, codigo, validade, recebido_em, disponivel FROM lotes WHERE material = 'MB-' || lpad(:m::text, 4, '0') AND status = 'liberado' AND disponivel > 0 AND validade >= current_date ORDER BY validade, recebido_em, codigo LIMIT 16 FOR UPDATE) SELECT id AS lote FROM c ORDER BY validade, recebido_em, codigo LIMIT 1 \gset
INSERT INTO consumos (id, op_id, material, quantidade, criado_por) VALUES (md5('c' || :client_id || '-' || :k)::uuid, md5('o' || :k)::uuid, 'MB-' || lpad(:m::text, 4, '0'), 1, 'producao');
WITH l AS (UPDATE lotes SET quantidade = quantidade - 1, reservada = reservada + 0, devolvida = devolvida + 0, versao = versao + 1, atualizado_em = now() WHERE id = :lote::uuid RETURNING id, material, quantidade, reservada, devolvida) INSERT INTO movimentacoes (lote_id, material, tipo, quantidade, reservada, devolvida, saldo_apos, reservada_apos, devolvida_apos, documento_tipo, documento_id, usuario_sub, usuario_username, request_id) SELECT l.id, l.material, 'consumo', -1, 0, 0, l.quantidade, l.reservada, l.devolvida, 'ordem_producao', md5('o' || :k), 'servico#producao', 'producao', 'bench' FROM l RETURNING saldo_apos, reservada_apos, devolvida_apos;
INSERT INTO consumo_lotes (consumo_id, ordem, lote_id, quantidade) VALUES (md5('c' || :client_id || '-' || :k)::uuid, 1, :lote::uuid, 1);
WITH r AS (INSERT INTO auditoria_registro (id, servico, ocorrido_em, usuario, acao, entidade, entidade_id, antes, depois, motivo, assinatura, request_id) VALUES (md5('a' || :client_id || '-' || :k)::uuid, 'estoque', replace('2026-11-29T10#15#30.123Z', '#', ':'), replace('{"sub"#"servico#producao","username"#"producao","nome"#""}', '#', ':'), 'estoque.consumido', 'consumo', md5('c' || :client_id || '-' || :k), NULL, replace('{"op_id"#"0193a1f0-0000-7000-8000-000000000000","material"#"MB-0001","quantidade"#1,"lotes"#[{"lote_id"#"0193a1f0-0000-7000-8000-000000000001","lote_codigo"#"B0000001","quantidade"#1}]}', '#', ':'), NULL, NULL, 'bench') RETURNING id, ordem) INSERT INTO auditoria_pendente (registro_id, ordem) SELECT id, ordem FROM r;
INSERT INTO idempotencia (usuario, chave, hash_requisicao, status, cabecalhos, corpo) VALUES ('servico', :client_id || '-' || :k, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 201, replace('{"Content-Type"#"application/json"}', '#', ':'), replace('{"id"#"0193a1f0-0000-7000-8000-000000000000","op_id"#"0193a1f0-0000-7000-8000-000000000000","material"#"MB-0001","quantidade"#1,"lotes"#[{"lote_id"#"0193a1f0-0000-7000-8000-000000000001","lote_codigo"#"B0000001","validade"#"2027-01-01","quantidade"#1}],"criado_por"#"producao","criado_em"#"2026-11-29T10#15#30.123Z"}', '#', ':'));
END;
