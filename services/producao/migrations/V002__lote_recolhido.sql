-- A recall (lote.recolhido) shows on the lots an OP made.
ALTER TABLE lotes DROP CONSTRAINT lotes_status_check;
ALTER TABLE lotes ADD CONSTRAINT lotes_status_check CHECK (status IN ('quarentena', 'liberado', 'reprovado', 'recolhido'));
ALTER TABLE lotes ADD COLUMN recolhido_motivo text;
