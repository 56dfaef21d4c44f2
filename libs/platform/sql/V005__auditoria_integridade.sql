-- Audit trail integrity (RULES.md A6, A8).
--
-- auditoria_nao_publicada: records sealed into the chain whose `auditoria.registrada` could
-- not be published (A6). The chain never waits for them; the sealer retries them and a
-- metric counts them.
CREATE TABLE auditoria_nao_publicada (
  registro_id  uuid PRIMARY KEY,
  sequencia    bigint NOT NULL UNIQUE,
  motivo       text NOT NULL,
  desde        timestamptz NOT NULL DEFAULT now()
);

-- auditoria_checkpoint: the signed heads of the chain (A8), exactly as published in
-- `auditoria.checkpoint`. The signing key is not in the database; Relatórios keeps its
-- own copy of every checkpoint, so cutting this table hides nothing.
CREATE TABLE auditoria_checkpoint (
  sequencia   bigint PRIMARY KEY,
  hash        text NOT NULL,
  em          text NOT NULL,
  chave_id    text NOT NULL,
  assinatura  text NOT NULL
);
CREATE TRIGGER auditoria_checkpoint_imutavel BEFORE UPDATE OR DELETE ON auditoria_checkpoint
  FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao();
CREATE TRIGGER auditoria_checkpoint_sem_truncate BEFORE TRUNCATE ON auditoria_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION auditoria_somente_insercao();
REVOKE UPDATE, DELETE, TRUNCATE ON auditoria_checkpoint FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON auditoria_checkpoint FROM CURRENT_USER;
