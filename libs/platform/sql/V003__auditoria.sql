-- Audit trail (RULES.md A1–A3). Two insert-only tables:
--   auditoria_registro  the record, written in the same transaction as the change;
--   auditoria           its seal: gap-free `sequencia`, `hash_anterior`, `hash`, written by
--                       the sealer shortly after commit, in commit order.
-- Sealing after commit keeps the chain off every writer's critical path: no single chain-head
-- row serialises the service's writes. `auditoria_pendente` is the sealer's work queue.
CREATE TABLE auditoria_registro (
  ordem        bigserial UNIQUE,
  id           uuid PRIMARY KEY,
  servico      text NOT NULL,
  ocorrido_em  text NOT NULL,            -- RFC 3339 UTC, exactly as hashed
  usuario      text NOT NULL,            -- JSON {sub, username, nome}
  acao         text NOT NULL,
  entidade     text NOT NULL,
  entidade_id  text NOT NULL,
  antes        text,                     -- JSON of the changed fields' old values
  depois       text,                     -- JSON of their new values
  motivo       text,
  assinatura   text,                     -- JSON {nome, significado, em} when signed
  request_id   text
);
CREATE INDEX auditoria_registro_entidade ON auditoria_registro (entidade, entidade_id);

CREATE TABLE auditoria (
  sequencia      bigint PRIMARY KEY,
  registro_id    uuid NOT NULL UNIQUE,      -- no foreign key: its check would need UPDATE rights on the records
  hash_anterior  text NOT NULL,
  hash           text NOT NULL,
  selado_em      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auditoria_pendente (
  registro_id uuid PRIMARY KEY
);

-- Insert-only, enforced by the database for every role: a trigger refuses UPDATE, DELETE
-- and TRUNCATE (superusers included, unless they disable it — which the hash chain then
-- exposes), and the owner gives up those privileges too.
CREATE FUNCTION auditoria_somente_insercao() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a trilha de auditoria aceita apenas INSERT (% em %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER auditoria_registro_imutavel BEFORE UPDATE OR DELETE ON auditoria_registro
  FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao();
CREATE TRIGGER auditoria_registro_sem_truncate BEFORE TRUNCATE ON auditoria_registro
  FOR EACH STATEMENT EXECUTE FUNCTION auditoria_somente_insercao();
CREATE TRIGGER auditoria_imutavel BEFORE UPDATE OR DELETE ON auditoria
  FOR EACH ROW EXECUTE FUNCTION auditoria_somente_insercao();
CREATE TRIGGER auditoria_sem_truncate BEFORE TRUNCATE ON auditoria
  FOR EACH STATEMENT EXECUTE FUNCTION auditoria_somente_insercao();

REVOKE UPDATE, DELETE, TRUNCATE ON auditoria_registro, auditoria FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON auditoria_registro, auditoria FROM CURRENT_USER;
