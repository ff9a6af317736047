// Builds what @pulumi/policy hands a policy, for calling the pack's policies directly: inputs are
// wrapped as the framework wraps them, so that reading a value unknown at preview throws.
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";

/** A value a preview cannot know yet (an output of a resource not created), as the framework decodes it. */
export const UNKNOWN = (proxy as unknown as { unknownStringValue: string }).unknownStringValue;

export const DYNAMIC = {
  Share: "pulumi-nodejs:dynamic/cloudflare:Share",
  ShareRecipient: "pulumi-nodejs:dynamic/cloudflare:ShareRecipient",
  ShareResource: "pulumi-nodejs:dynamic/cloudflare:ShareResource",
} as const;

export const PLUGIN = {
  Share: "cloudflare-sharing:index:Share",
  ShareRecipient: "cloudflare-sharing:index:ShareRecipient",
  ShareResource: "cloudflare-sharing:index:ShareResource",
} as const;

/** Both faces, for tests that must hold for each. */
export const FACES = [
  ["dynamic providers'", DYNAMIC],
  ["plugin's", PLUGIN],
] as const;

/** What a policy reported: its violations, and the unknown value it stopped at, if any. */
export interface Outcome {
  violations: string[];
  unknown?: string;
}

/** One resource as the framework describes it to a resource or stack policy. */
export function policyResource(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::proj::${type}::${name}`,
    props: unknownCheckingProxy(props),
    opts: {} as PolicyResource["opts"],
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
    isType: () => false,
    asType: () => undefined,
  };
}

/** Runs a resource policy on one resource with `config`. */
export function validateResource(policy: ResourceValidationPolicy, resource: PolicyResource, config: object = {}): Outcome {
  const args = { ...resource, getConfig: () => config, notApplicable: () => { throw new Error("not applicable"); } } as unknown as ResourceValidationArgs;
  return collect((report) => (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, report));
}

/** Runs a stack policy on `resources` with `config`. */
export function validateStack(policy: StackValidationPolicy, resources: PolicyResource[], config: object = {}): Outcome {
  const args = { resources, getConfig: () => config, notApplicable: () => { throw new Error("not applicable"); } };
  return collect((report) => (policy.validateStack as (a: unknown, r: (m: string) => void) => void)(args, report));
}

function collect(run: (report: (message: string) => void) => void): Outcome {
  const violations: string[] = [];
  try {
    run((message) => violations.push(message));
  } catch (error) {
    if (!(error instanceof UnknownValueError)) throw error;
    return { violations, unknown: (error as Error).message };
  }
  return { violations };
}
