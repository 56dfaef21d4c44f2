-- Electronic signatures already used here (RULES.md S1): a signature token is accepted once.
-- Written in the same transaction as the signed act.
CREATE TABLE assinaturas_usadas (
  jti        text PRIMARY KEY,
  usuario    text NOT NULL,
  recurso    text NOT NULL,
  significado text NOT NULL,
  usada_em   timestamptz NOT NULL DEFAULT now()
);
