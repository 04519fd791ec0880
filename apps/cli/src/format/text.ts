/** The resource an ARN ends with (`…/prod/monitor/123` → `123`); anything else as it is. */
export const shortArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/** Every ECS ARN in a sentence cut to the resource it ends with, as the timeline's sentences name them. */
export const shortenArns = (text: string): string => text.replace(/arn:aws:ecs:[^\s:]*:\d{12}:[a-z-]+\/[^\s),;]*[^\s).,;]/g, shortArn);

/** A wall-clock time of day in UTC with milliseconds, from epoch seconds: what a timeline needs to order events by eye. */
export function clock(epochSeconds: number): string {
  return new Date(Math.round(epochSeconds * 1000)).toISOString().slice(11, 23);
}

/** Date and time in UTC, from epoch seconds. */
export function dateTime(epochSeconds: number): string {
  return `${new Date(Math.round(epochSeconds * 1000)).toISOString().slice(0, 23).replace('T', ' ')} UTC`;
}

/** Cut to `width` (with an ellipsis) or padded to it; right-aligned for numbers. */
export function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fitted = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? fitted.padEnd(width) : fitted.padStart(width);
}

/** Splits text into lines of at most `width` characters at spaces (a word longer than the width stays whole). */
export function wrap(text: string, width: number): string[] {
  if (width <= 0 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
