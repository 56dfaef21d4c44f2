-- The FEFO benchmark's plant: 1,000 materials and 1,000,000 lots of them in every status,
-- with expiry dates from 400 days ago to 1,100 days ahead and a third of them depleted, each
-- with its `entrada` in the ledger. Loaded straight into Estoque's tables (after its own
-- migrations) because the point is the size, not the way in.
INSERT INTO materiais (codigo, nome, tipo, unidade, prazo_validade_dias, vida_util_minima_expedicao_dias)
SELECT 'MB-' || lpad(m::text, 4, '0'), 'Material de bancada ' || m, 'insumo', 'kg', 1500, 30
FROM generate_series(1, 1000) m;

INSERT INTO lotes (id, codigo, material, unidade, origem, status, validade, quantidade, recebido_em, laudo_decisao)
SELECT gen_random_uuid(), 'B' || lpad(i::text, 7, '0'), 'MB-' || lpad((i % 1000 + 1)::text, 4, '0'), 'kg',
       'recebimento', s.status, current_date + ((i::bigint * 7919) % 1500 - 400)::int,
       CASE WHEN i % 3 = 0 THEN 0 ELSE 100000 END, now() - make_interval(secs => i),
       CASE s.status WHEN 'liberado' THEN 'aprovado' WHEN 'reprovado' THEN 'reprovado' END
FROM generate_series(1, 1000000) i,
     LATERAL (SELECT CASE WHEN (i / 1000) % 10 < 6 THEN 'liberado' WHEN (i / 1000) % 10 < 8 THEN 'quarentena'
                          WHEN (i / 1000) % 10 = 8 THEN 'reprovado' ELSE 'recolhido' END AS status) s;

INSERT INTO movimentacoes (lote_id, material, tipo, quantidade, saldo_apos, reservada_apos, devolvida_apos,
                           documento_tipo, documento_id, usuario_sub, usuario_username)
SELECT id, material, 'entrada', quantidade, quantidade, 0, 0, 'recebimento', 'bench', 'bench', 'bench' FROM lotes;

VACUUM ANALYZE materiais;
VACUUM ANALYZE lotes;
VACUUM ANALYZE movimentacoes;
-- The load wrote a lot of WAL: bench/fefo.sh flushes it (CHECKPOINT, as the superuser: the owner
-- role that loads this may not) before measuring.
