-- pgbench: the FEFO candidate query alone (storage/stock.cpp kCandidates), locking in a
-- transaction that then rolls back: the cost of the allocation decision at this size.
\set m random(1, 1000)
BEGIN;
SELECT id, codigo, validade::text, (extract(epoch FROM recebido_em) * 1000000)::bigint, disponivel FROM lotes WHERE material = 'MB-' || lpad(:m::text, 4, '0') AND status = 'liberado' AND disponivel > 0 AND validade >= current_date ORDER BY lotes.validade, recebido_em, codigo LIMIT 16 FOR UPDATE;
ROLLBACK;
