-- The SQL transaction of POST /v1/bench/recebimentos (bench/write_server.cpp), for pgbench:
-- the same statements the service runs (idempotency lock and lookup, the insert, the audit
-- record and its sealing queue entry, the outbox row, the idempotency record), same sizes.
-- Kept in step by hand with libs/platform/src/{idempotency,audit,events}.cpp. Literals with a
-- colon are written with '#' and replaced back, as pgbench would read ':name' as a variable.
\set k random(1, 9000000000000000000)
BEGIN;
SELECT pg_try_advisory_xact_lock(hashtextextended(:client_id || '-' || :k, 7206130927));
SELECT hash_requisicao, status, cabecalhos, corpo FROM idempotencia WHERE usuario = '' AND chave = :client_id || '-' || :k;
INSERT INTO recebimento (material, quantidade, lote_fornecedor) VALUES ('MP-001', 12.5, 'F-2026-0001') RETURNING id;
WITH r AS (INSERT INTO auditoria_registro (id, servico, ocorrido_em, usuario, acao, entidade, entidade_id, antes, depois, motivo, assinatura, request_id) VALUES (md5('a' || :client_id || '-' || :k)::uuid, 'estoque', replace('2026-11-29T10#15#30.123Z', '#', ':'), replace('{"sub"#"","username"#"","nome"#""}', '#', ':'), 'recebimento.registrado', 'recebimento', '123456', NULL, replace('{"id"#123456,"material"#"MP-001","quantidade"#12.5}', '#', ':'), NULL, NULL, '01a2264e-a919-7003-b910-4b23a9c95776') RETURNING id, ordem) INSERT INTO auditoria_pendente (registro_id, ordem) SELECT id, ordem FROM r;
INSERT INTO outbox (id, tipo, envelope, traceparent) VALUES (md5('o' || :client_id || '-' || :k)::uuid, 'lote.criado', replace('{"id"#"01a2264e-a919-7003-b910-4b23a9c95776","tipo"#"lote.criado","versao"#1,"ocorrido_em"#"2026-11-29T10#15#30.123Z","origem"#"bench","correlacao_id"#"4bf92f3577b34da6a3ce929d0e0e4736","usuario"#{"sub"#"","username"#""},"dados"#{"id"#123456,"material"#"MP-001","quantidade"#12.5}}', '#', ':'), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
INSERT INTO idempotencia (usuario, chave, hash_requisicao, status, cabecalhos, corpo) VALUES ('', :client_id || '-' || :k, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 201, replace('{"Content-Type"#"application/json"}', '#', ':'), replace('{"id"#123456,"material"#"MP-001","quantidade"#12.5}', '#', ':'));
END;
