-- The sealer's queue in the records' order: each entry carries its record's `ordem`, indexed,
-- so a round reads the next batch from the index instead of joining and sorting the whole
-- queue (which grew with the queue and let the sealer fall behind under load).
ALTER TABLE auditoria_pendente ADD COLUMN ordem bigint;
UPDATE auditoria_pendente p SET ordem = r.ordem FROM auditoria_registro r WHERE r.id = p.registro_id;
ALTER TABLE auditoria_pendente ALTER COLUMN ordem SET NOT NULL;
CREATE INDEX auditoria_pendente_ordem ON auditoria_pendente (ordem);
