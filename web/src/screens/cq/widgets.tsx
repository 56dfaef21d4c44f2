// Small pieces the quality screens share: a radio group for a decision, inputs that live in
// a table cell (their label is the row and column, read by screen readers), and the lot link.
import { useId, type ReactNode } from "react";
import { Link } from "react-router-dom";
import type { Option } from "../../ui/fields";

export function RadioGroup({ label, name, value, onChange, options, error, required, hint }: {
  label: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  options: (Option & { disabled?: boolean; hint?: string })[];
  error?: string | undefined;
  required?: boolean;
  hint?: ReactNode;
}) {
  const id = useId();
  const described = [error ? id + "-error" : "", hint ? id + "-hint" : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={"field radio-group" + (error ? " field-invalid" : "")} aria-describedby={described}>
      <legend>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            disabled={o.disabled}
            onChange={() => onChange(o.value)}
          />
          <span>
            {o.label}
            {o.hint ? <span className="muted"> — {o.hint}</span> : null}
          </span>
        </label>
      ))}
      {hint ? <p className="hint" id={id + "-hint"}>{hint}</p> : null}
      {error ? (
        <p className="field-error" id={id + "-error"}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

// An input in a table cell: the visible column header names it for sighted people; the label
// (visually hidden) names row and column for everyone else. Its message shows below it.
export function CellInput({ label, value, onChange, error, inputMode, onEnter, maxLength, name }: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
  inputMode?: "decimal" | "text";
  onEnter?: (e: React.KeyboardEvent<HTMLElement>) => void;
  maxLength?: number;
  name?: string;
}) {
  const id = useId();
  return (
    <div className={"cell-field" + (error ? " field-invalid" : "")}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input
        id={id}
        name={name}
        value={value}
        inputMode={inputMode}
        maxLength={maxLength}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onEnter ? (e) => e.key === "Enter" && onEnter(e) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? id + "-error" : undefined}
      />
      {error ? (
        <p className="field-error" id={id + "-error"}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function CellSelect({ label, value, onChange, options, error, onEnter, name }: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: Option[];
  error?: string | undefined;
  onEnter?: (e: React.KeyboardEvent<HTMLElement>) => void;
  name?: string;
}) {
  const id = useId();
  return (
    <div className={"cell-field" + (error ? " field-invalid" : "")}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onEnter ? (e) => e.key === "Enter" && onEnter(e) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? id + "-error" : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p className="field-error" id={id + "-error"}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

// A lot's page (built by the lot area) by its code.
export function LoteLink({ codigo }: { codigo: string | null | undefined }) {
  if (!codigo) return <span>—</span>;
  return <Link to={`/lotes/${encodeURIComponent(codigo)}`}>{codigo}</Link>;
}

// Conformity in words and a mark, never by colour alone.
export function Conformity({ conforme }: { conforme: boolean }) {
  return conforme ? (
    <span className="badge badge-ok">
      <span aria-hidden="true">✓ </span>Conforme
    </span>
  ) : (
    <span className="badge badge-bad">
      <span aria-hidden="true">✗ </span>Não conforme
    </span>
  );
}
