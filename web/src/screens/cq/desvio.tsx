// One deviation: what happened and on which OP and lot, and its closing — the conclusion and
// the corrective action, signed as a review (which unblocks the OP when it was the last one).
import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { get, post } from "../../api/client";
import { formatInstant, statusLabel } from "../../lib/format";
import { Await, Button, Facts, Notice, Page, Section, StatusBadge } from "../../ui/components";
import { TextArea } from "../../ui/fields";
import { useDraft, useLoad } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures, SignatureDialog, type SignatureRequest } from "../../ui/signature";
import type { Desvio, OrdemProducao } from "./api";
import { motivoError } from "./logic";
import { LoteLink } from "./widgets";
import "./cq.css";

export function DesvioPage() {
  const { id = "" } = useParams();
  const loaded = useLoad(async () => {
    const desvio = await get<Desvio>(`/v1/desvios/${id}`);
    const op = await get<OrdemProducao>(`/v1/ordens-producao/${desvio.op_id}`).catch(() => null);
    return { desvio, op };
  }, [id]);
  return <Await loaded={loaded}>{({ desvio, op }) => <DesvioView desvio={desvio} op={op} reload={loaded.reload} />}</Await>;
}

function DesvioView({ desvio: d, op, reload }: { desvio: Desvio; op: OrdemProducao | null; reload: () => void }) {
  const { can } = useSession();
  const location = useLocation();
  const [closed, setClosed] = useState(false);
  const opened = (location.state as { aberto?: boolean } | null)?.aberto;
  const lote = d.lote_id ? op?.lotes.find((l) => l.id === d.lote_id) : undefined;
  return (
    <Page title={`Desvio ${d.codigo}`} back={{ to: "/desvios", label: "Desvios" }}>
      {opened && d.status === "aberto" && !closed ? (
        <Notice tone="success">
          Desvio {d.codigo} aberto. A OP {op?.codigo ?? ""} fica bloqueada até o encerramento.
        </Notice>
      ) : null}
      {closed ? <Notice tone="success">Desvio {d.codigo} encerrado.</Notice> : null}
      <Facts
        items={[
          ["Status", <StatusBadge status={d.status} />],
          ["Classificação", <StatusBadge status={d.classificacao} />],
          [
            "Ordem de produção",
            <Link to={`/ordens/${d.op_id}`}>{op ? `${op.codigo} — ${op.produto} (${statusLabel(op.status)})` : d.op_id}</Link>,
          ],
          ["Lote", d.lote_id ? <LoteLink codigo={lote?.codigo ?? d.lote_id} /> : "a OP inteira"],
          ["Aberto por", d.aberto_por],
          ["Aberto em", formatInstant(d.aberto_em)],
        ]}
      />
      <Section title="Descrição">
        <p className="prewrap">{d.descricao}</p>
      </Section>
      <Section title="Encerramento">
        {d.status === "encerrado" ? (
          <>
            <Facts
              items={[
                ["Conclusão", <span className="prewrap">{d.conclusao}</span>],
                ["Ação corretiva", <span className="prewrap">{d.acao_corretiva}</span>],
                ["Encerrado por", d.encerrado_por],
                ["Encerrado em", formatInstant(d.encerrado_em)],
              ]}
            />
            <Signatures items={d.assinatura ? [d.assinatura] : []} />
          </>
        ) : can("closeDesvio") ? (
          <EncerrarForm
            desvio={d}
            onDone={() => {
              setClosed(true);
              reload();
            }}
          />
        ) : (
          <p className="muted">Aberto: aguarda o encerramento pela Qualidade.</p>
        )}
      </Section>
    </Page>
  );
}

function EncerrarForm({ desvio: d, onDone }: { desvio: Desvio; onDone: () => void }) {
  const draft = useDraft(`desvio.${d.id}.encerrar`, { conclusao: "", acao_corretiva: "" });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [request, setRequest] = useState<SignatureRequest | null>(null);
  const open = (e: React.FormEvent) => {
    e.preventDefault();
    const errors = {
      conclusao: motivoError(draft.values.conclusao) && "Informe a conclusão (ao menos 3 caracteres).",
      acao_corretiva: motivoError(draft.values.acao_corretiva) && "Informe a ação corretiva (ao menos 3 caracteres).",
    };
    setLocal(errors);
    if (errors.conclusao || errors.acao_corretiva) return;
    setRequest({
      recurso: `desvio:${d.id}`,
      significado: "revisao",
      title: "Encerrar desvio",
      registro: <>Encerramento do desvio {d.codigo}</>,
    });
  };
  return (
    <>
      <form onSubmit={open} noValidate>
        <TextArea
          label="Conclusão"
          name="conclusao"
          required
          value={draft.values.conclusao}
          onChange={(v) => draft.set("conclusao", v)}
          error={local.conclusao}
        />
        <TextArea
          label="Ação corretiva"
          name="acao_corretiva"
          required
          value={draft.values.acao_corretiva}
          onChange={(v) => draft.set("acao_corretiva", v)}
          error={local.acao_corretiva}
        />
        <div className="actions">
          <Button type="submit" kind="primary">
            Encerrar desvio…
          </Button>
        </div>
      </form>
      <SignatureDialog
        request={request}
        onClose={() => setRequest(null)}
        act={(signature, key) =>
          post<Desvio>(
            `/v1/desvios/${d.id}/encerrar`,
            { conclusao: draft.values.conclusao.trim(), acao_corretiva: draft.values.acao_corretiva.trim() },
            { idempotencyKey: key, signature, ifMatch: d.versao },
          )
        }
        onDone={() => {
          setRequest(null);
          draft.clear();
          onDone();
        }}
      />
    </>
  );
}
