-- RULES G1: the signed review of an OP's batch record, as `op.revisada` told it, shown with the
-- batch record.
CREATE TABLE op_revisoes (
  op_id         uuid PRIMARY KEY,
  revisado_por  text NOT NULL,
  revisado_em   timestamptz NOT NULL,
  excecoes      integer NOT NULL,
  assinatura    json NOT NULL   -- {nome, significado, em}
);
