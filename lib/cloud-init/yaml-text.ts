// YAML as cloud-init reads it: PyYAML, YAML 1.1. Written with the 1.1 schema so that
// strings like "yes", "on" or "0755" are quoted and stay strings in the guest.
import { stringify, type Document, type ToStringOptions } from 'yaml';
import { parseYamlDocument } from '../util/yaml-document.js';

export const CLOUD_CONFIG_HEADER = '#cloud-config';

/** Long lines (SSH keys) are never folded; flow collections keep their compact look. */
export const TO_STRING: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

export function yamlText(value: unknown): string {
  return stringify(value, { version: '1.1', ...TO_STRING });
}

export function parseYaml(text: string): Document {
  return parseYamlDocument(text, { version: '1.1', prettyErrors: false });
}

/** A #cloud-config document for these keys. */
export function cloudConfigText(config: Record<string, unknown>): string {
  return Object.keys(config).length === 0 ? `${CLOUD_CONFIG_HEADER}\n{}\n` : `${CLOUD_CONFIG_HEADER}\n${yamlText(config)}`;
}
