-- Estoque: the materials catalogue, lots with their balances, the append-only ledger,
-- consumptions, shipments with their reservations, returns, and events that arrived before
-- their lot.

CREATE TABLE materiais (
  codigo                           text PRIMARY KEY CHECK (length(codigo) BETWEEN 1 AND 64),
  nome                             text NOT NULL,
  tipo                             text NOT NULL CHECK (tipo IN ('insumo', 'produto')),
  unidade                          text NOT NULL,
  prazo_validade_dias              integer NOT NULL CHECK (prazo_validade_dias > 0),
  vida_util_minima_expedicao_dias  integer NOT NULL CHECK (vida_util_minima_expedicao_dias >= 0),
  versao                           integer NOT NULL DEFAULT 1,
  criado_em                        timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE lote_recebimento_seq;
CREATE SEQUENCE expedicao_seq;
CREATE SEQUENCE devolucao_seq;

-- One row per lot: its quality status and its balances. The balances are kept in step with
-- the ledger by the one statement that writes both (see src/storage/stock.cpp), and the
-- CHECKs make a negative balance impossible whatever the application does:
--   quantidade  what is physically in stock (the lot's saldo)
--   reservada   reserved for shipments not yet confirmed
--   devolvida   returned and awaiting QC evaluation (in quarantine, never available)
--   disponivel  what may still be allocated, when the lot is liberado and unexpired
CREATE TABLE lotes (
  id                uuid PRIMARY KEY,
  codigo            text NOT NULL UNIQUE,
  material          text NOT NULL REFERENCES materiais (codigo),
  unidade           text NOT NULL,
  origem            text NOT NULL CHECK (origem IN ('recebimento', 'producao')),
  status            text NOT NULL CHECK (status IN ('quarentena', 'liberado', 'reprovado', 'recolhido')),
  validade          date NOT NULL,
  data_fabricacao   date,
  op_id             uuid,
  fornecedor        text,
  lote_fornecedor   text,
  nota_fiscal       text,
  quantidade        numeric(18, 3) NOT NULL CHECK (quantidade >= 0),
  reservada         numeric(18, 3) NOT NULL DEFAULT 0 CHECK (reservada >= 0),
  devolvida         numeric(18, 3) NOT NULL DEFAULT 0 CHECK (devolvida >= 0),
  disponivel        numeric(18, 3) GENERATED ALWAYS AS (quantidade - reservada - devolvida) STORED,
  laudo_id          uuid,
  laudo_decisao     text CHECK (laudo_decisao IN ('aprovado', 'reprovado')),
  laudo_emitido_em  timestamptz,
  recolhido_motivo  text,
  recebido_em       timestamptz NOT NULL DEFAULT clock_timestamp(),
  versao            integer NOT NULL DEFAULT 1,
  atualizado_em     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT lotes_saldo_nao_negativo CHECK (reservada + devolvida <= quantidade)
);

-- FEFO: the allocatable lots of a material in allocation order. Partial, so depleted,
-- quarantined, rejected and recalled lots (most of a plant's history) are not in it and a
-- million lots cost the same as a hundred.
CREATE INDEX lotes_fefo ON lotes (material, validade, recebido_em, codigo)
  INCLUDE (disponivel) WHERE status = 'liberado' AND disponivel > 0;
-- Balances per material in FEFO order (every status) and expiry reports.
CREATE INDEX lotes_material_validade ON lotes (material, validade, recebido_em, codigo);
CREATE INDEX lotes_validade ON lotes (validade);

-- Every laudo applied to (or refused by) a lot, with its signature.
CREATE TABLE lote_laudos (
  laudo_id    uuid PRIMARY KEY,
  lote_id     uuid NOT NULL REFERENCES lotes (id),
  amostra_id  uuid NOT NULL,
  decisao     text NOT NULL CHECK (decisao IN ('aprovado', 'reprovado')),
  emitido_por text NOT NULL,
  emitido_em  timestamptz NOT NULL,
  assinatura  jsonb NOT NULL,
  aplicado    boolean NOT NULL,
  recebido_em timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lote_laudos_lote ON lote_laudos (lote_id);

-- Events about a lot that arrived before the lot itself (EVENTS.md: keep, apply later).
CREATE TABLE eventos_lote_pendentes (
  evento_id    uuid PRIMARY KEY,
  lote_id      uuid NOT NULL,
  tipo         text NOT NULL,
  envelope     jsonb NOT NULL,
  ocorrido_em  timestamptz NOT NULL,
  recebido_em  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX eventos_lote_pendentes_lote ON eventos_lote_pendentes (lote_id, ocorrido_em);

-- The ledger (RULES.md B7). Each row changes one lot's three balances by the signed amounts
-- in quantidade / reservada / devolvida and records the balances after it, so the sum of a
-- lot's rows always equals its balances. Insert-only, enforced by the database.
CREATE TABLE movimentacoes (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lote_id           uuid NOT NULL REFERENCES lotes (id),
  material          text NOT NULL,
  tipo              text NOT NULL CHECK (tipo IN ('entrada', 'consumo', 'reserva', 'reserva_cancelada', 'expedicao',
                                                   'devolucao', 'reintegracao', 'descarte')),
  quantidade        numeric(18, 3) NOT NULL,
  reservada         numeric(18, 3) NOT NULL DEFAULT 0,
  devolvida         numeric(18, 3) NOT NULL DEFAULT 0,
  saldo_apos        numeric(18, 3) NOT NULL,
  reservada_apos    numeric(18, 3) NOT NULL,
  devolvida_apos    numeric(18, 3) NOT NULL,
  documento_tipo    text NOT NULL,
  documento_id      text NOT NULL,
  usuario_sub       text NOT NULL,
  usuario_username  text NOT NULL,
  request_id        text,
  ocorrido_em       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX movimentacoes_lote ON movimentacoes (lote_id, id);
CREATE INDEX movimentacoes_material ON movimentacoes (material, id);

CREATE FUNCTION movimentacoes_somente_insercao() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'o razão de movimentações aceita apenas INSERT (% em %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER movimentacoes_imutavel BEFORE UPDATE OR DELETE ON movimentacoes
  FOR EACH ROW EXECUTE FUNCTION movimentacoes_somente_insercao();
CREATE TRIGGER movimentacoes_sem_truncate BEFORE TRUNCATE ON movimentacoes
  FOR EACH STATEMENT EXECUTE FUNCTION movimentacoes_somente_insercao();
REVOKE UPDATE, DELETE, TRUNCATE ON movimentacoes FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON movimentacoes FROM CURRENT_USER;

-- Consumptions into production orders (all-or-nothing FEFO allocations).
CREATE TABLE consumos (
  id          uuid PRIMARY KEY,
  op_id       uuid NOT NULL,
  material    text NOT NULL REFERENCES materiais (codigo),
  quantidade  numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  criado_por  text NOT NULL,
  criado_em   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consumos_op ON consumos (op_id);
CREATE TABLE consumo_lotes (
  consumo_id  uuid NOT NULL REFERENCES consumos (id),
  ordem       integer NOT NULL,
  lote_id     uuid NOT NULL REFERENCES lotes (id),
  quantidade  numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  PRIMARY KEY (consumo_id, ordem)
);

CREATE TABLE expedicoes (
  id                 uuid PRIMARY KEY,
  codigo             text NOT NULL UNIQUE,
  cliente_nome       text NOT NULL,
  cliente_documento  text NOT NULL,
  status             text NOT NULL CHECK (status IN ('reservada', 'confirmada', 'cancelada')),
  motivo_cancelamento text,
  criado_por         text NOT NULL,
  criado_em          timestamptz NOT NULL DEFAULT now(),
  confirmada_em      timestamptz,
  cancelada_em       timestamptz,
  versao             integer NOT NULL DEFAULT 1
);
CREATE INDEX expedicoes_cliente ON expedicoes (cliente_documento, id);
CREATE INDEX expedicoes_status ON expedicoes (status, id);

CREATE TABLE expedicao_itens (
  expedicao_id  uuid NOT NULL REFERENCES expedicoes (id),
  item          integer NOT NULL,
  material      text NOT NULL REFERENCES materiais (codigo),
  quantidade    numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  lote_escolhido uuid,
  excecao_fefo_motivo text,
  PRIMARY KEY (expedicao_id, item)
);

-- The lots reserved (and, once confirmed, shipped) for each item.
CREATE TABLE expedicao_lotes (
  expedicao_id  uuid NOT NULL,
  item          integer NOT NULL,
  lote_id       uuid NOT NULL REFERENCES lotes (id),
  quantidade    numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  devolvida     numeric(18, 3) NOT NULL DEFAULT 0 CHECK (devolvida >= 0 AND devolvida <= quantidade),
  PRIMARY KEY (expedicao_id, item, lote_id),
  FOREIGN KEY (expedicao_id, item) REFERENCES expedicao_itens (expedicao_id, item)
);
CREATE INDEX expedicao_lotes_lote ON expedicao_lotes (lote_id);

CREATE TABLE devolucoes (
  id                uuid PRIMARY KEY,
  codigo            text NOT NULL UNIQUE,
  expedicao_id      uuid NOT NULL REFERENCES expedicoes (id),
  lote_id           uuid NOT NULL REFERENCES lotes (id),
  quantidade        numeric(18, 3) NOT NULL CHECK (quantidade > 0),
  motivo            text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pendente', 'reintegrada', 'descartada')),
  criado_por        text NOT NULL,
  criado_em         timestamptz NOT NULL DEFAULT now(),
  avaliacao_motivo  text,
  avaliado_por      text,
  avaliado_em       timestamptz,
  assinatura        jsonb,
  versao            integer NOT NULL DEFAULT 1
);
CREATE INDEX devolucoes_status ON devolucoes (status, id);
