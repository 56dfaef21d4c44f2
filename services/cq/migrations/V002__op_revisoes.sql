-- RULES G1: the reviews of batch records Produção announced (op.revisada). A produced lot's
-- laudo is approved only when its OP is here.
CREATE TABLE op_revisoes (
  op_id         uuid PRIMARY KEY,
  codigo        text NOT NULL,
  revisado_por  text NOT NULL,
  revisado_em   timestamptz NOT NULL,
  excecoes      integer NOT NULL CHECK (excecoes >= 0),
  recebida_em   timestamptz NOT NULL DEFAULT now()
);
