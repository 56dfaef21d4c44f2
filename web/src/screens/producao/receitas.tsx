// Recipes: the list (filtered by product) and one version with its steps, limits and insumos.
// A version never changes; a change is the next version.
import { Link, useLocation, useParams, useSearchParams } from "react-router-dom";
import { formatInstant, formatNumber } from "../../lib/format";
import { Await, ButtonLink, Facts, Notice, Page, PagedTable, Section, Table } from "../../ui/components";
import { SelectField } from "../../ui/fields";
import { useGet, usePaged } from "../../ui/hooks";
import { useSession } from "../../ui/session";
import { materialName, materialOptions, unitOf, useMateriais, useReceitasDe, type Catalogo } from "./catalogo";
import { limitsText } from "./decimal";
import type { Etapa, Receita } from "./types";
import "./producao.css";

export function ReceitasPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const produto = params.get("produto") ?? "";
  const todos = useMateriais();
  const produtos = (todos.data?.list ?? []).filter((m) => m.tipo === "produto");
  const paged = usePaged<Receita>("/v1/receitas", { produto: produto || undefined, ordem: "desc" });
  return (
    <Page
      title="Receitas"
      actions={can("manageRecipes") ? <ButtonLink to="/receitas/nova" kind="primary">Nova receita</ButtonLink> : null}
    >
      <div className="filters">
        <SelectField
          label="Produto"
          name="produto"
          value={produto}
          onChange={(v) => setParams(v ? { produto: v } : {}, { replace: true })}
          options={materialOptions(produtos)}
          placeholder="Todos os produtos"
        />
      </div>
      <PagedTable
        paged={paged}
        caption="Versões de receita encontradas"
        rowKey={(r) => r.id}
        empty={produto ? "Nenhuma receita deste produto." : "Nenhuma receita cadastrada."}
        columns={[
          { header: "Produto", cell: (r) => <Link to={`/receitas/${r.id}`}>{materialName(r.produto, todos.data)}</Link> },
          { header: "Versão", cell: (r) => r.versao, className: "num" },
          { header: "Etapas", cell: (r) => r.etapas.length, className: "num" },
          { header: "Insumos", cell: (r) => r.insumos.length, className: "num" },
          { header: "Criada por", cell: (r) => r.criado_por },
          { header: "Criada em", cell: (r) => formatInstant(r.criado_em) },
        ]}
      />
    </Page>
  );
}

export function ReceitaPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const created = (location.state as { criada?: boolean } | null)?.criada === true;
  const receita = useGet<Receita>(`/v1/receitas/${encodeURIComponent(id)}`);
  const catalogo = useMateriais();
  const title = receita.data ? `Receita ${receita.data.produto} — versão ${receita.data.versao}` : "Receita";
  return (
    <Page title={title} back={{ to: "/receitas", label: "Receitas" }}>
      <Await loaded={receita}>
        {(r) => (
          <>
            {created ? <Notice tone="success">Receita criada: versão {r.versao} de {r.produto}.</Notice> : null}
            <ReceitaView receita={r} catalogo={catalogo.data} />
          </>
        )}
      </Await>
    </Page>
  );
}

function ReceitaView({ receita: r, catalogo }: { receita: Receita; catalogo: Catalogo | undefined }) {
  const { can } = useSession();
  const versoes = useReceitasDe(r.produto);
  const proxima = Math.max(r.versao, ...(versoes.data ?? []).map((v) => v.versao)) + 1;
  return (
    <>
      <Facts
        items={[
          ["Produto", materialName(r.produto, catalogo)],
          ["Versão", r.versao],
          ["Criada por", r.criado_por],
          ["Criada em", formatInstant(r.criado_em)],
        ]}
      />
      <Notice>
        Esta versão é imutável: ela não pode ser alterada. Para mudar a receita, crie a próxima versão; as ordens já
        abertas seguem a versão com que foram criadas.
      </Notice>
      <div className="actions op-actions">
        {can("manageRecipes") ? (
          <ButtonLink to={`/receitas/nova?de=${encodeURIComponent(r.id)}&versao=${proxima}`}>
            Criar versão {proxima} a partir desta
          </ButtonLink>
        ) : null}
        {can("runOrders") ? (
          <ButtonLink to={`/ordens/nova?produto=${encodeURIComponent(r.produto)}&receita=${encodeURIComponent(r.id)}`}>
            Nova ordem com esta receita
          </ButtonLink>
        ) : null}
      </div>
      <Section title="Etapas">
        <ol className="etapas">
          {[...r.etapas]
            .sort((a, b) => a.ordem - b.ordem)
            .map((e) => (
              <li key={e.ordem} className="etapa">
                <h3>
                  Etapa {e.ordem}: {e.nome}
                </h3>
                <ParametrosTable etapa={e} />
              </li>
            ))}
        </ol>
      </Section>
      <Section title="Insumos por unidade produzida">
        <Table
          rows={r.insumos}
          rowKey={(i) => i.material}
          columns={[
            { header: "Insumo", cell: (i) => materialName(i.material, catalogo) },
            {
              header: "Quantidade por unidade",
              cell: (i) => formatNumber(i.quantidade_por_unidade, unitOf(i.material, catalogo)),
              className: "num",
            },
          ]}
        />
      </Section>
      {versoes.data && versoes.data.length > 1 ? (
        <Section title="Outras versões desta receita">
          <ul>
            {versoes.data
              .filter((v) => v.id !== r.id)
              .map((v) => (
                <li key={v.id}>
                  <Link to={`/receitas/${v.id}`}>Versão {v.versao}</Link>{" "}
                  <span className="muted">— criada em {formatInstant(v.criado_em)} por {v.criado_por}</span>
                </li>
              ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

export function ParametrosTable({ etapa }: { etapa: Etapa }) {
  if (etapa.parametros.length === 0) return <p className="muted">Etapa sem parâmetros de processo.</p>;
  return (
    <Table
      rows={etapa.parametros}
      rowKey={(p) => p.nome}
      columns={[
        { header: "Parâmetro", cell: (p) => p.nome },
        { header: "Unidade", cell: (p) => p.unidade ?? "—" },
        { header: "Mínimo", cell: (p) => formatNumber(p.minimo), className: "num" },
        { header: "Máximo", cell: (p) => formatNumber(p.maximo), className: "num" },
        { header: "Faixa aceita", cell: (p) => limitsText(p) },
      ]}
    />
  );
}
