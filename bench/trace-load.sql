-- The traceability benchmark's genealogy: 1,000,000 lots and 5,000,000 consumption edges in
-- Relatórios' read model, shaped like a plant — 700,000 received insumo lots; 200,000
-- intermediate lots, each made by an OP from 20 insumo lots (4,000,000 edges); 100,000 finished
-- lots, each made by an OP from 10 intermediate lots (1,000,000 edges), each shipped to one of
-- 5,000 customers. Loaded straight into the tables (after the service's migrations): the point
-- is the size, not the way in.
INSERT INTO materiais VALUES ('MP-B', 'Insumo de bancada', 'insumo', 'kg'), ('SEMI-B', 'Granulado', 'produto', 'kg'),
                             ('PA-B', 'Comprimido de bancada', 'produto', 'cx');

INSERT INTO lotes (id, codigo, material, origem, op_id, quantidade, unidade, validade, status, criado_em)
SELECT md5('L' || i)::uuid, 'B' || lpad(i::text, 7, '0'),
       CASE WHEN i <= 700000 THEN 'MP-B' WHEN i <= 900000 THEN 'SEMI-B' ELSE 'PA-B' END,
       CASE WHEN i <= 700000 THEN 'recebimento' ELSE 'producao' END,
       CASE WHEN i <= 700000 THEN NULL ELSE md5('OP' || i)::uuid END,
       1000, 'kg', current_date + (i % 900), 'liberado', now()
FROM generate_series(1, 1000000) i;

INSERT INTO ops (id, codigo, produto, status, atualizado_em)
SELECT md5('OP' || i)::uuid, 'OP-B-' || lpad(i::text, 7, '0'), CASE WHEN i <= 900000 THEN 'SEMI-B' ELSE 'PA-B' END,
       'concluida', now()
FROM generate_series(700001, 1000000) i;

-- Intermediate lot j (700,001..900,000) consumed 20 insumo lots.
INSERT INTO consumos (consumo_id, lote_id, op_id, lote_codigo, material, quantidade, ocorrido_em)
SELECT md5('C' || j)::uuid, md5('L' || r)::uuid, md5('OP' || j)::uuid, 'B' || lpad(r::text, 7, '0'), 'MP-B', 5, now()
FROM generate_series(700001, 900000) j, generate_series(0, 19) k,
     LATERAL (SELECT (((j - 700001) * 20 + k)::bigint * 7 % 700000) + 1 AS r) x;

-- Finished lot f (900,001..1,000,000) consumed 10 intermediate lots.
INSERT INTO consumos (consumo_id, lote_id, op_id, lote_codigo, material, quantidade, ocorrido_em)
SELECT md5('C' || f)::uuid, md5('L' || r)::uuid, md5('OP' || f)::uuid, 'B' || lpad(r::text, 7, '0'), 'SEMI-B', 50,
       now()
FROM generate_series(900001, 1000000) f, generate_series(0, 9) k,
     LATERAL (SELECT (((f - 900001) * 10 + k)::bigint * 3 % 200000) + 700001 AS r) x;

INSERT INTO expedicoes (id, cliente_nome, cliente_documento, confirmada_em)
SELECT md5('X' || f)::uuid, 'Cliente ' || (f % 5000), lpad((f % 5000)::text, 14, '0'), now()
FROM generate_series(900001, 1000000) f;
INSERT INTO expedicao_itens (expedicao_id, lote_id, lote_codigo, material, quantidade)
SELECT md5('X' || f)::uuid, md5('L' || f)::uuid, 'B' || lpad(f::text, 7, '0'), 'PA-B', 100
FROM generate_series(900001, 1000000) f;

VACUUM ANALYZE materiais, lotes, ops, consumos, expedicoes, expedicao_itens;
-- bench/trace.sh then flushes the WAL (CHECKPOINT, as the superuser: the owner role may not).
