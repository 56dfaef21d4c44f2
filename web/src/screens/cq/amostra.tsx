// One sample, from collection to laudo: what lot and specification it is bound to, the
// collection, every ensaio's result on one screen, and the signed laudo with its certificate.
import { useEffect, useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { ApiError, download, get, post } from "../../api/client";
import { formatDate, formatInstant, formatNumber, parseDecimal, decimalToJson, statusLabel } from "../../lib/format";
import { Await, Button, ButtonLink, Facts, Notice, Page, ProblemAlert, Section, StatusBadge } from "../../ui/components";
import { fieldError, NumberField, TextArea } from "../../ui/fields";
import { useAction, useDraft, useGet, useLoad } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { Signatures, SignatureDialog, type SignatureRequest } from "../../ui/signature";
import type { Amostra, Especificacao, Laudo } from "./api";
import { materialText, useMaterials } from "./data";
import { enteredResults, FOUR_EYES, isRegistroNaoRevisado, laudoProblem, motivoError } from "./logic";
import { ResultadosForm, ResultadosView } from "./resultados";
import { LoteLink, RadioGroup } from "./widgets";
import "./cq.css";

// The specification the sample's results are checked against: the version bound at its
// first result, or (before that) the material's current one, which the first result binds.
async function specificationFor(a: Amostra): Promise<Especificacao | null> {
  if (a.especificacao) return a.especificacao;
  if (!a.lote) return null;
  try {
    return await get<Especificacao>(`/v1/especificacoes/${encodeURIComponent(a.lote.material)}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function AmostraPage() {
  const { id = "" } = useParams();
  const loaded = useLoad(async () => {
    const amostra = await get<Amostra>(`/v1/amostras/${id}`);
    return { amostra, spec: await specificationFor(amostra) };
  }, [id]);
  return (
    <Await loaded={loaded}>
      {({ amostra, spec }) => <AmostraView amostra={amostra} spec={spec} reload={loaded.reload} />}
    </Await>
  );
}

function AmostraView({ amostra: a, spec, reload }: { amostra: Amostra; spec: Especificacao | null; reload: () => void }) {
  const { can } = useSession();
  const materials = useMaterials();
  const location = useLocation();
  const [done, setDone] = useState<string>();

  // A worklist button names the act (#coletar, #resultados, #laudo): its section takes focus.
  useEffect(() => {
    const target = location.hash.slice(1);
    if (!target) return;
    const t = setTimeout(() => {
      const heading = document.querySelector<HTMLElement>(`#${CSS.escape(target)} h2`);
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }, 50);
    return () => clearTimeout(t);
  }, [location.hash]);

  const analyse = can("analyse");
  const open = a.status === "coletada" || a.status === "em_analise";
  const after = (message: string) => {
    setDone(message);
    reload();
  };
  return (
    <Page title={`Amostra ${a.codigo}`} back={{ to: "/cq/amostras", label: "Amostras" }}>
      <Facts
        items={[
          ["Lote", <LoteLink codigo={a.lote?.codigo} />],
          ["Material", materialText(materials, a.lote?.material)],
          ["Status", <StatusBadge status={a.status} />],
          ["Quantidade do lote", a.lote ? formatNumber(a.lote.quantidade, a.lote.unidade) : "—"],
          ["Validade do lote", formatDate(a.lote?.validade)],
          [
            "Especificação",
            a.especificacao_versao
              ? `versão ${a.especificacao_versao}`
              : spec
                ? `versão ${spec.versao} (vinculada no primeiro resultado)`
                : "sem especificação",
          ],
          ["Criada em", formatInstant(a.criado_em)],
        ]}
      />
      {done ? <Notice tone="success">{done}</Notice> : null}

      <div id="coletar">
        <Section title="Coleta">
          {a.coleta ? (
            <Facts
              items={[
                ["Quantidade coletada", formatNumber(a.coleta.quantidade, a.lote?.unidade)],
                ["Coletada por", a.coleta.coletada_por],
                ["Coletada em", formatInstant(a.coleta.coletada_em)],
                ["Observação", a.coleta.observacao || "—"],
              ]}
            />
          ) : analyse && a.status === "aguardando_coleta" ? (
            <ColetaForm amostra={a} onDone={() => after("Coleta registrada.")} />
          ) : (
            <p className="muted">Aguardando coleta.</p>
          )}
        </Section>
      </div>

      <div id="resultados">
        <Section title="Resultados">
          {analyse && open ? (
            spec ? (
              <ResultadosForm amostra={a} spec={spec} onSaved={reload} />
            ) : (
              <Notice tone="warning">
                O material {a.lote?.material} não tem especificação: cadastre-a antes de registrar resultados.{" "}
                {can("specify") && a.lote ? (
                  <ButtonLink to={`/cq/especificacoes/${encodeURIComponent(a.lote.material)}`}>Abrir especificação</ButtonLink>
                ) : null}
              </Notice>
            )
          ) : (
            <ResultadosView amostra={a} spec={spec} />
          )}
        </Section>
      </div>

      <div id="laudo">
        <Section title="Laudo">
          {a.laudo ? (
            <LaudoView laudo={a.laudo} loteCodigo={a.lote?.codigo} />
          ) : analyse && open ? (
            <LaudoForm amostra={a} onDone={(l) => after(`Laudo emitido: ${statusLabel(l.decisao)}.`)} />
          ) : (
            <p className="muted">Sem laudo ainda.</p>
          )}
        </Section>
      </div>
    </Page>
  );
}

function ColetaForm({ amostra: a, onDone }: { amostra: Amostra; onDone: () => void }) {
  const draft = useDraft(`amostra.${a.id}.coleta`, { quantidade: "", observacao: "" });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const action = useAction((key: string, body: { quantidade: number; observacao: string | null }) =>
    post<Amostra>(`/v1/amostras/${a.id}/coleta`, body, { idempotencyKey: key, ifMatch: a.versao }),
  );
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const q = parseDecimal(draft.values.quantidade);
    setLocal({ quantidade: q.ok ? undefined : q.message });
    if (!q.ok) return;
    const observacao = draft.values.observacao.trim();
    const result = await action.run({ quantidade: decimalToJson(q.value), observacao: observacao || null });
    if (result) {
      draft.clear();
      onDone();
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <div className="form-grid">
        <NumberField
          label="Quantidade coletada"
          name="quantidade"
          unit={a.lote?.unidade}
          value={draft.values.quantidade}
          onChange={(v) => draft.set("quantidade", v)}
          error={fieldError(action.error, "quantidade", local)}
          required
        />
      </div>
      <TextArea
        label="Observação"
        name="observacao"
        value={draft.values.observacao}
        onChange={(v) => draft.set("observacao", v)}
        error={fieldError(action.error, "observacao")}
      />
      <ProblemAlert error={action.error} shownFields={["quantidade", "observacao"]} />
      <div className="actions">
        <Button type="submit" kind="primary" pending={action.pending}>
          Registrar coleta
        </Button>
      </div>
    </form>
  );
}

interface LaudoBody {
  amostra_id: string;
  decisao: "aprovado" | "reprovado";
  observacao: string | null;
  motivo?: string;
}

function LaudoForm({ amostra: a, onDone }: { amostra: Amostra; onDone: (l: Laudo) => void }) {
  const { me } = useSession();
  const draft = useDraft(`amostra.${a.id}.laudo`, { decisao: "", observacao: "", motivo: "" });
  const [local, setLocal] = useState<Record<string, string | undefined>>({});
  const [request, setRequest] = useState<SignatureRequest | null>(null);
  const [body, setBody] = useState<LaudoBody | null>(null);
  // A produced lot is approved only after its OP's batch record is reviewed (RULES G1).
  const opId = a.lote?.origem === "producao" ? a.lote.op_id : null;
  const op = useGet<{ id: string; codigo: string; status: string; revisao: unknown }>(
    opId ? `/v1/ordens-producao/${encodeURIComponent(opId)}` : null,
  );
  const opLink = opId ? (
    <Link to={`/ordens/${encodeURIComponent(opId)}#revisao`}>
      Abrir a ordem de produção{op.data ? ` ${op.data.codigo}` : ""} para a revisão
    </Link>
  ) : null;

  if (enteredResults(a, me?.sub)) {
    return (
      <div className="alert alert-warning four-eyes" role="note">
        <p className="alert-title">{FOUR_EYES}.</p>
        <p>Você registrou resultados desta amostra. Outra analista de CQ deve assinar o laudo.</p>
      </div>
    );
  }

  const ensaios = a.especificacao?.ensaios ?? [];
  const current = new Map(a.resultados.map((r) => [r.ensaio, r]));
  const missing = ensaios.filter((e) => !current.has(e.codigo));
  const failing = ensaios.filter((e) => current.get(e.codigo)?.conforme === false);
  const approvable = ensaios.length > 0 && missing.length === 0 && failing.length === 0;
  const blocker =
    ensaios.length === 0
      ? "nenhum resultado registrado"
      : [
          missing.length ? `sem resultado: ${missing.map((e) => e.codigo).join(", ")}` : "",
          failing.length ? `não conforme: ${failing.map((e) => e.codigo).join(", ")}` : "",
        ]
          .filter(Boolean)
          .join("; ");

  const decisao = draft.values.decisao as "" | "aprovado" | "reprovado";
  const open = () => {
    const errors: Record<string, string | undefined> = {
      decisao: decisao ? undefined : "Escolha a decisão.",
      motivo: decisao === "reprovado" ? motivoError(draft.values.motivo) : undefined,
    };
    setLocal(errors);
    if (!decisao || errors.motivo) return;
    const b: LaudoBody = { amostra_id: a.id, decisao, observacao: draft.values.observacao.trim() || null };
    if (draft.values.motivo.trim()) b.motivo = draft.values.motivo.trim();
    setBody(b);
    setRequest({
      recurso: `amostra:${a.id}`,
      significado: decisao === "aprovado" ? "aprovacao" : "reprovacao",
      title: "Assinar laudo",
      registro: (
        <>
          Laudo da amostra {a.codigo}, lote {a.lote?.codigo}: <strong>{statusLabel(decisao)}</strong>
        </>
      ),
    });
  };
  return (
    <>
    {op.data && !op.data.revisao ? (
      <Notice tone="warning">
        O registro de lote da ordem de produção {op.data.codigo} ainda não foi revisado: a aprovação deste lote só é
        aceita depois da revisão assinada por uma analista de CQ. {opLink}
      </Notice>
    ) : null}
    <form
      onSubmit={(e) => {
        e.preventDefault();
        open();
      }}
      noValidate
    >
      <RadioGroup
        label="Decisão"
        name="decisao"
        value={decisao}
        onChange={(v) => draft.set("decisao", v)}
        required
        error={local.decisao}
        options={[
          {
            value: "aprovado",
            label: "Aprovado",
            disabled: !approvable,
            hint: approvable ? "todos os ensaios conformes" : `indisponível (${blocker})`,
          },
          { value: "reprovado", label: "Reprovado" },
        ]}
      />
      <TextArea
        label="Observação"
        name="observacao"
        hint="Impressa no certificado de análise."
        value={draft.values.observacao}
        onChange={(v) => draft.set("observacao", v)}
      />
      <TextArea
        label="Motivo"
        name="motivo"
        hint="Obrigatório para reprovar."
        required={decisao === "reprovado"}
        value={draft.values.motivo}
        onChange={(v) => draft.set("motivo", v)}
        error={local.motivo}
      />
      <div className="actions">
        <Button type="submit" kind="primary">
          Assinar laudo…
        </Button>
      </div>
    </form>
      <SignatureDialog
        request={request}
        onClose={() => setRequest(null)}
        act={(signature, key) =>
          post<Laudo>("/v1/laudos", body, { idempotencyKey: key, signature }).catch((e: unknown) => {
            throw laudoProblem(e);
          })
        }
        explain={(e) => (isRegistroNaoRevisado(e) && opLink ? <p className="laudo-revisao">{opLink}</p> : null)}
        onDone={(result) => {
          setRequest(null);
          draft.clear();
          onDone(result as Laudo);
        }}
      />
    </>
  );
}

function LaudoView({ laudo, loteCodigo }: { laudo: Laudo; loteCodigo: string | undefined }) {
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const pdf = async () => {
    setPending(true);
    setError(undefined);
    try {
      await download(`/v1/laudos/${laudo.id}`, "application/pdf", `laudo-${loteCodigo ?? laudo.id}.pdf`);
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Facts
        items={[
          ["Decisão", <StatusBadge status={laudo.decisao} />],
          ["Emitido por", laudo.emitido_por.nome],
          ["Emitido em", formatInstant(laudo.emitido_em)],
          ["Observação", laudo.observacao || "—"],
          ["Motivo", laudo.motivo || "—"],
        ]}
      />
      <Signatures items={[laudo.assinatura]} />
      <ProblemAlert error={error} />
      <div className="actions">
        <Button onClick={() => void pdf()} pending={pending}>
          Certificado (PDF)
        </Button>
      </div>
    </>
  );
}
