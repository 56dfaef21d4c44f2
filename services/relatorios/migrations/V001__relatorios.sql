-- Relatórios: read models fed by every domain event (each consumer idempotent through the
-- inbox), shaped for the reports: lots, the genealogy (insumo lot → OP → produced lot),
-- shipments and customers, OPs, laudos, deviations, recalls, returns, every lot's timeline,
-- and the consolidated audit trail of all services.

CREATE TABLE materiais (
  codigo   text PRIMARY KEY,
  nome     text NOT NULL,
  tipo     text NOT NULL,
  unidade  text NOT NULL
);

-- Status is derived from what is known: recalled, else the latest laudo, else quarantine.
CREATE TABLE lotes (
  id               uuid PRIMARY KEY,
  codigo           text NOT NULL UNIQUE,
  material         text NOT NULL,
  origem           text NOT NULL CHECK (origem IN ('producao', 'recebimento')),
  op_id            uuid,
  quantidade       numeric(18, 3) NOT NULL,
  unidade          text NOT NULL,
  validade         date NOT NULL,
  data_fabricacao  date,
  fornecedor       text,
  lote_fornecedor  text,
  status           text NOT NULL DEFAULT 'quarentena'
                   CHECK (status IN ('quarentena', 'liberado', 'reprovado', 'recolhido')),
  criado_em        timestamptz NOT NULL
);
CREATE INDEX lotes_op ON lotes (op_id) WHERE op_id IS NOT NULL;
CREATE INDEX lotes_validade ON lotes (validade);
CREATE INDEX lotes_status ON lotes (status);

-- The genealogy's edges: which insumo lot went into which OP, and how much. The other half of
-- the path (OP → the lots it made) is lotes.op_id.
CREATE TABLE consumos (
  consumo_id   uuid NOT NULL,
  lote_id      uuid NOT NULL,
  op_id        uuid NOT NULL,
  lote_codigo  text NOT NULL,
  material     text NOT NULL,
  quantidade   numeric(18, 3) NOT NULL,
  ocorrido_em  timestamptz NOT NULL,
  PRIMARY KEY (consumo_id, lote_id)
);
CREATE INDEX consumos_lote ON consumos (lote_id) INCLUDE (op_id);
CREATE INDEX consumos_op ON consumos (op_id) INCLUDE (lote_id);

CREATE TABLE ops (
  id              uuid PRIMARY KEY,
  codigo          text NOT NULL,
  produto         text NOT NULL,
  status          text NOT NULL,
  atualizado_em   timestamptz NOT NULL
);
CREATE INDEX ops_status ON ops (status);
CREATE TABLE op_historico (
  evento_id        uuid PRIMARY KEY,
  op_id            uuid NOT NULL,
  status           text NOT NULL,
  status_anterior  text,
  usuario          text,
  ocorrido_em      timestamptz NOT NULL
);
CREATE INDEX op_historico_op ON op_historico (op_id, ocorrido_em);

CREATE TABLE expedicoes (
  id                 uuid PRIMARY KEY,
  cliente_nome       text NOT NULL,
  cliente_documento  text NOT NULL,
  confirmada_em      timestamptz NOT NULL
);
CREATE TABLE expedicao_itens (
  expedicao_id  uuid NOT NULL REFERENCES expedicoes (id),
  lote_id       uuid NOT NULL,
  lote_codigo   text NOT NULL,
  material      text NOT NULL,
  quantidade    numeric(18, 3) NOT NULL,
  PRIMARY KEY (expedicao_id, lote_id)
);
CREATE INDEX expedicao_itens_lote ON expedicao_itens (lote_id);

CREATE TABLE laudos (
  id           uuid PRIMARY KEY,
  lote_id      uuid NOT NULL,
  amostra_id   uuid NOT NULL,
  decisao      text NOT NULL,
  emitido_por  text NOT NULL,
  emitido_em   timestamptz NOT NULL,
  assinatura   jsonb NOT NULL
);
CREATE INDEX laudos_lote ON laudos (lote_id, emitido_em);

CREATE TABLE desvios (
  id             uuid PRIMARY KEY,
  op_id          uuid NOT NULL,
  lote_id        uuid,
  classificacao  text,
  descricao      text,
  status         text NOT NULL CHECK (status IN ('aberto', 'encerrado')),
  aberto_em      timestamptz,
  encerrado_em   timestamptz
);
CREATE INDEX desvios_op ON desvios (op_id);
CREATE INDEX desvios_lote ON desvios (lote_id);
CREATE INDEX desvios_abertos ON desvios (status) WHERE status = 'aberto';

CREATE TABLE recolhimentos (
  lote_id      uuid PRIMARY KEY,
  lote_codigo  text NOT NULL,
  motivo       text NOT NULL,
  ocorrido_em  timestamptz NOT NULL
);

CREATE TABLE devolucoes (
  id            uuid PRIMARY KEY,
  expedicao_id  uuid NOT NULL,
  lote_id       uuid NOT NULL,
  quantidade    numeric(18, 3) NOT NULL,
  motivo        text NOT NULL,
  ocorrido_em   timestamptz NOT NULL
);
CREATE INDEX devolucoes_lote ON devolucoes (lote_id);

-- Every event about a lot, for its timeline.
CREATE TABLE eventos_lote (
  evento_id    uuid NOT NULL,
  lote_id      uuid NOT NULL,
  tipo         text NOT NULL,
  ocorrido_em  timestamptz NOT NULL,
  usuario      text,
  resumo       jsonb NOT NULL,
  PRIMARY KEY (evento_id, lote_id)
);
CREATE INDEX eventos_lote_lote ON eventos_lote (lote_id, ocorrido_em);

-- The consolidated audit trail: every service's sealed records as published, hashes included,
-- so the copy can be verified on its own. `posicao` is the order of arrival, for paging.
CREATE TABLE auditoria_consolidada (
  posicao          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  servico          text NOT NULL,
  sequencia        bigint NOT NULL,
  id               uuid NOT NULL,
  ocorrido_em      timestamptz NOT NULL,
  usuario_sub      text,
  usuario_username text,
  acao             text NOT NULL,
  entidade         text NOT NULL,
  entidade_id      text NOT NULL,
  registro         jsonb NOT NULL,
  PRIMARY KEY (servico, sequencia)
);
CREATE INDEX auditoria_consolidada_entidade ON auditoria_consolidada (entidade, entidade_id);
CREATE INDEX auditoria_consolidada_usuario ON auditoria_consolidada (usuario_username);
CREATE INDEX auditoria_consolidada_tempo ON auditoria_consolidada (ocorrido_em);
