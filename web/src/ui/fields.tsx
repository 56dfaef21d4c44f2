// Form fields: a visible label, the server's message for the field next to it (linked with
// aria-describedby), a hint, and keyboard-only use. Numbers are typed as Brazilians write them.
import { useId, type ReactNode } from "react";
import { ApiError } from "../api/problem";
import { statusLabel } from "../lib/format";

interface Common {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  className?: string;
}

function Frame({ id, label, error, hint, required, className, children }: Common & { id: string; children: ReactNode }) {
  return (
    <div className={"field" + (error ? " field-invalid" : "") + (className ? " " + className : "")}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {children}
      {hint ? <p className="hint" id={id + "-hint"}>{hint}</p> : null}
      {error ? (
        <p className="field-error" id={id + "-error"}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  const ids = [error ? id + "-error" : "", hint ? id + "-hint" : ""].filter(Boolean).join(" ");
  return ids || undefined;
}

export function TextField(
  props: Common & {
    value: string;
    onChange: (v: string) => void;
    type?: "text" | "password" | "email" | "date" | "search";
    autoComplete?: string;
    inputMode?: "decimal" | "numeric" | "text";
    placeholder?: string;
    autoFocus?: boolean;
    maxLength?: number;
  },
) {
  const id = useId();
  return (
    <Frame {...props} id={id}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required}
        disabled={props.disabled}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        maxLength={props.maxLength}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
      />
    </Frame>
  );
}

// A decimal typed pt-BR style ("7,5"); the parent parses it with parseDecimal on submit.
export function NumberField(props: Common & { value: string; onChange: (v: string) => void; unit?: string }) {
  return (
    <TextField
      {...props}
      inputMode="decimal"
      hint={props.hint ?? (props.unit ? `em ${props.unit}; use vírgula para decimais` : "use vírgula para decimais")}
    />
  );
}

export function TextArea(props: Common & { value: string; onChange: (v: string) => void; rows?: number }) {
  const id = useId();
  return (
    <Frame {...props} id={id}>
      <textarea
        id={id}
        name={props.name}
        value={props.value}
        rows={props.rows ?? 3}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
      />
    </Frame>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField(
  props: Common & { value: string; onChange: (v: string) => void; options: Option[]; placeholder?: string },
) {
  const id = useId();
  return (
    <Frame {...props} id={id}>
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required={props.required}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

// Options from status words, labelled as people read them.
export function statusOptions(values: string[]): Option[] {
  return values.map((v) => ({ value: v, label: statusLabel(v) }));
}

export function CheckboxGroup(
  props: Common & { values: string[]; onChange: (v: string[]) => void; options: Option[] },
) {
  const id = useId();
  return (
    <fieldset className={"field" + (props.error ? " field-invalid" : "")} aria-describedby={props.error ? id + "-error" : undefined}>
      <legend>{props.label}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox"
            name={props.name}
            value={o.value}
            checked={props.values.includes(o.value)}
            onChange={(e) =>
              props.onChange(e.target.checked ? [...props.values, o.value] : props.values.filter((v) => v !== o.value))
            }
          />
          {o.label}
        </label>
      ))}
      {props.error ? (
        <p className="field-error" id={id + "-error"}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

// The server's message for a field of the last failed act, if any.
export function fieldError(error: unknown, campo: string, local?: Record<string, string | undefined>): string | undefined {
  if (local?.[campo]) return local[campo];
  if (error instanceof ApiError) return error.fieldError(campo);
  return undefined;
}
