import { ValidationError } from '../../core/errors.js';

/**
 * A template that CloudFormation refuses: a ValidationError whose message starts as AWS's do
 * (`Template format error: …` for the template's shape, `Template error: …` for what its functions
 * say), because clients and people search for those words.
 */
export class TemplateError extends ValidationError {
  constructor(message: string) {
    super(message, 'TEMPLATE_INVALID');
  }
}

export const formatError = (message: string): TemplateError =>
  new TemplateError(`Template format error: ${message}`);

export const templateError = (message: string): TemplateError =>
  new TemplateError(`Template error: ${message}`);

/** Where in the template a value sits, for messages: `resource Profile property UserSettings.ExecutionRole`. */
export const describeLocation = (path: readonly (string | number)[]): string => {
  const [section, name, attribute, ...rest] = path;
  const tail = rest.map(String).join('.');
  if (section === 'Resources' && name !== undefined) {
    if (attribute === 'Properties') return `resource ${name} property ${tail || '(Properties)'}`;
    return `resource ${name}${attribute !== undefined ? ` attribute ${attribute}` : ''}`;
  }
  if (section === 'Outputs' && name !== undefined) return `output ${name}`;
  if (section === 'Conditions' && name !== undefined) return `condition ${name}`;
  return path.map(String).join('.');
};
