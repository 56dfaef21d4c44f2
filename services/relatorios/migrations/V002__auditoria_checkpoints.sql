-- The witnessed heads of every service's audit chain (RULES.md A8), as received in
-- `auditoria.checkpoint`. `valido` says whether the signature checked against the service's
-- trusted public key on arrival; only valid ones count in the verification. Insert-only.
CREATE TABLE auditoria_checkpoints (
  servico      text NOT NULL,
  sequencia    bigint NOT NULL,
  hash         text NOT NULL,
  em           text NOT NULL,
  chave_id     text NOT NULL,
  assinatura   text NOT NULL,
  valido       boolean NOT NULL,
  motivo       text,
  recebido_em  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (servico, sequencia, assinatura)
);
CREATE INDEX auditoria_checkpoints_validos ON auditoria_checkpoints (servico, sequencia) WHERE valido;
CREATE TRIGGER auditoria_checkpoints_imutavel BEFORE UPDATE OR DELETE ON auditoria_checkpoints
  FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao();
CREATE TRIGGER auditoria_checkpoints_sem_truncate BEFORE TRUNCATE ON auditoria_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION auditoria_somente_insercao();
