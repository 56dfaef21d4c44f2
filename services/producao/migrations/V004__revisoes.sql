-- RULES G1: the review of an OP's batch record by exception, signed (`revisao`, op:<id>) by an
-- analista_cq who recorded none of its steps; one per OP, never changed.
CREATE TABLE revisoes (
  op_id             uuid PRIMARY KEY REFERENCES ordens_producao (id),
  revisado_por_sub  text NOT NULL,
  revisado_por      text NOT NULL,            -- username
  revisado_por_nome text NOT NULL,
  revisado_em       timestamptz NOT NULL DEFAULT now(),
  excecoes          integer NOT NULL CHECK (excecoes >= 0),
  observacao        text,
  assinatura        jsonb NOT NULL            -- {nome, significado, em}
);

-- Who opened and who closed a desvio (the events' usuario), for the batch record's exceptions.
ALTER TABLE desvios ADD COLUMN aberto_por text;
ALTER TABLE desvios ADD COLUMN encerrado_por text;
