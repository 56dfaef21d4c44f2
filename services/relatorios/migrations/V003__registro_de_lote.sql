-- The batch record of an OP, read from Relatórios' own read models (no call to Produção):
-- the OP's fixed fields and state from `op.status_alterado`, its step records from
-- `etapa.registrada`, each consumption whole from `insumos.consumidos`, who created each lot
-- from `lote.criado`. Events published before these fields existed leave them null.

ALTER TABLE ops
  ADD COLUMN quantidade                numeric(18, 3),
  ADD COLUMN receita_id                uuid,
  ADD COLUMN receita_versao            bigint,
  ADD COLUMN etapas                    json,  -- the recipe's steps, as published (key order kept)
  ADD COLUMN criado_por                text,
  ADD COLUMN criado_em                 timestamptz,
  ADD COLUMN status_antes_do_bloqueio  text,
  ADD COLUMN motivo_cancelamento       text,
  ADD COLUMN iniciada_em               timestamptz,
  ADD COLUMN concluida_em              timestamptz,
  ADD COLUMN cancelada_em              timestamptz,
  ADD COLUMN versao                    bigint;

-- One record per step of an OP (Produção refuses a second one).
CREATE TABLE op_registros (
  id                uuid PRIMARY KEY,
  op_id             uuid NOT NULL,
  ordem             integer NOT NULL,
  parametros        jsonb NOT NULL,
  fora_dos_limites  jsonb NOT NULL,
  motivo            text,
  observacao        text,
  registrado_por    text NOT NULL,
  registrado_em     timestamptz NOT NULL
);
CREATE INDEX op_registros_op ON op_registros (op_id, ordem);

-- Each consumption of an OP; its lots are the rows of `consumos` with the same consumo_id.
CREATE TABLE op_consumos (
  id                  uuid PRIMARY KEY,
  op_id               uuid NOT NULL,
  material            text NOT NULL,
  quantidade          numeric(18, 3),
  estoque_consumo_id  uuid,
  criado_por          text,
  criado_em           timestamptz NOT NULL
);
CREATE INDEX op_consumos_op ON op_consumos (op_id, criado_em);

ALTER TABLE consumos
  ADD COLUMN validade date,
  ADD COLUMN ordem    integer;  -- the lot's place in its consumption, as Produção lists it

ALTER TABLE lotes ADD COLUMN criado_por text;
