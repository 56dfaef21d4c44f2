-- Loss control (GET /v1/relatorios/perdas): QC's evaluation of each customer return, as
-- `devolucao.avaliada` told it. A discarded return is a loss in the month it was evaluated.
-- Kept apart from `devolucoes` so that the evaluation counts whichever event arrives first.
CREATE TABLE devolucao_avaliacoes (
  devolucao_id  uuid PRIMARY KEY,
  lote_id       uuid NOT NULL,
  decisao       text NOT NULL CHECK (decisao IN ('reintegrar', 'descartar')),
  quantidade    numeric(18, 3) NOT NULL,
  motivo        text NOT NULL,
  avaliado_por  text NOT NULL,
  avaliado_em   timestamptz NOT NULL
);
CREATE INDEX devolucao_avaliacoes_lote ON devolucao_avaliacoes (lote_id);
CREATE INDEX devolucao_avaliacoes_descartes ON devolucao_avaliacoes (avaliado_em) WHERE decisao = 'descartar';

-- What of a lot is in stock, as its events tell it: what was made or received, less what was
-- consumed and shipped, plus what came back and was put back into stock. A return waiting for
-- QC is not in stock; a discarded one never comes back.
CREATE FUNCTION saldo_em_estoque(lote uuid, inicial numeric) RETURNS numeric
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT inicial
         - COALESCE((SELECT sum(quantidade) FROM consumos WHERE lote_id = lote), 0)
         - COALESCE((SELECT sum(quantidade) FROM expedicao_itens WHERE lote_id = lote), 0)
         + COALESCE((SELECT sum(quantidade) FROM devolucao_avaliacoes
                     WHERE lote_id = lote AND decisao = 'reintegrar'), 0)
$$;

-- Each lot's stock, kept by the consumers as the events come (the events of one lot under its
-- lock), so that the losses and the lots at risk are read from the lots that have stock at all
-- rather than summed over every lot the plant ever had.
ALTER TABLE lotes ADD COLUMN saldo numeric(18, 3) NOT NULL DEFAULT 0;
UPDATE lotes SET saldo = saldo_em_estoque(id, quantidade);
CREATE INDEX lotes_com_saldo ON lotes (material, validade) WHERE status = 'liberado' AND saldo > 0;

-- The losses of a period are found by when they happened; the recent rate of use by material.
CREATE INDEX laudos_reprovados ON laudos (emitido_em) WHERE decisao = 'reprovado';
CREATE INDEX consumos_material_tempo ON consumos (material, ocorrido_em);
CREATE INDEX expedicoes_tempo ON expedicoes (confirmada_em);
