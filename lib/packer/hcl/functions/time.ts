// Time functions. "Now" is context.now(), read once per call, so a template evaluated in
// one pass can be given one instant (Packer fixes legacy_isotime's time at start-up).
import { family, fn } from './arguments.js';
import { formatDateSpec, formatGoLayout } from './date-formats.js';
import { formatRfc3339, momentFromDate, parseDuration, parseRfc3339 } from './moment.js';

export const timeFunctions = family({
  timestamp: fn([], (_, context) => formatRfc3339(momentFromDate(context.now()))),
  formatdate: fn(['string', 'string'], ([spec, timestamp]) => formatDateSpec(spec, parseRfc3339('formatdate', timestamp))),
  timeadd: fn(['string', 'string'], ([timestamp, duration]) => {
    const moment = parseRfc3339('timeadd', timestamp);
    return formatRfc3339({ ...moment, epochNanos: moment.epochNanos + parseDuration('timeadd', duration) });
  }),
  legacy_isotime: fn(['string?'], ([layout], context) => {
    const now = momentFromDate(context.now());
    return layout === undefined ? formatRfc3339(now) : formatGoLayout(layout, now);
  }),
});
