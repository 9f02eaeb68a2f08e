/**
 * Checks a response of the local stack against the OpenAPI document it serves: the status must be
 * one the operation documents, and a JSON body must validate against that status's schema (ajv,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses it). A request no route documents may only get the
 * host's 404/405 problem. stack.ts's call() runs this on every answer, so every e2e test is covered.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
export interface Document {
  paths: Record<string, Record<string, OperationObject>>;
}

const PROBLEM = 'application/problem+json';

/** JSON Pointer segment, written so a URI fragment carries it ({id} must be percent-encoded). */
function pointer(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { path: string; pattern: RegExp; literals: number }[];

  constructor(readonly document: Document) {
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema(document as object, 'openapi');
    this.routes = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.split('/').map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`, 'i'),
        literals: path.split('/').filter((s) => !s.startsWith('{')).length,
      }))
      // Literal segments win over parameters, as in the host (me/sessions before users/{id}).
      .sort((a, b) => b.literals - a.literals);
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }

  /** The problems with one answer; empty when it keeps the contract. */
  problems(method: string, pathname: string, status: number, contentType: string | null, body: unknown): string[] {
    const what = `${method} ${pathname} → ${status}`;
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
    const route = this.routes.find((r) => r.pattern.test(pathname) && this.document.paths[r.path]?.[method.toLowerCase()]);
    if (!route) {
      // Unknown route or method: only the host's own problem answer is allowed.
      if (status !== 404 && status !== 405) return [`${what}: no documented operation, yet not a 404/405`];
      return mediaType === PROBLEM ? this.check(`openapi#/components/schemas/Problem`, body, what) : [`${what}: a 404/405 without a problem body`];
    }
    const operation = this.document.paths[route.path]?.[method.toLowerCase()] as OperationObject;
    const response = operation.responses[String(status)];
    if (!response) return [`${what}: status not documented for ${method} ${route.path} (documented: ${Object.keys(operation.responses).join(', ')})`];
    if (!response.content) return body === null || body === undefined || body === '' ? [] : [`${what}: documented without a body, but one came`];
    if (mediaType === null || !response.content[mediaType]) return [`${what}: content type ${mediaType} not documented (documented: ${Object.keys(response.content).join(', ')})`];
    if (mediaType !== 'application/json' && mediaType !== PROBLEM) return [];
    const ref = `openapi#/paths/${pointer(route.path)}/${method.toLowerCase()}/responses/${status}/content/${pointer(mediaType)}/schema`;
    return this.check(ref, body, what);
  }

  private check(ref: string, body: unknown, what: string): string[] {
    const validate = this.validator(ref);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${what}: body${e.instancePath} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`);
  }
}

const checkers = new Map<string, Promise<ContractChecker>>();

/** The checker for a stack's API base (http://127.0.0.1:port/api), from the document it serves. */
export function checkerFor(api: string): Promise<ContractChecker> {
  let checker = checkers.get(api);
  if (!checker) {
    checker = fetch(`${api}/openapi.json`).then(async (res) => {
      if (res.status !== 200) throw new Error(`${api}/openapi.json answered ${res.status}`);
      return new ContractChecker((await res.json()) as Document);
    });
    checkers.set(api, checker);
  }
  return checker;
}
