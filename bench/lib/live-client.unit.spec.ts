import { LiveFrames } from './live-client';

const change = (votes: number) => ({
  pollId: 'p',
  optionId: 'o1',
  votes,
  totalVotes: votes,
  position: String(votes),
});
const frame = (votes: number): string => `data: ${JSON.stringify(change(votes))}\n\n`;

describe('LiveFrames', () => {
  it('yields each data frame once, also when it spans chunks', () => {
    const frames = new LiveFrames();
    const text = frame(1) + frame(2) + frame(3);
    const seen = [];
    for (let at = 0; at < text.length; at += 7) seen.push(...frames.push(text.slice(at, at + 7)));
    expect(seen).toEqual([change(1), change(2), change(3)]);
  });

  it('skips comments and keep-alives', () => {
    const frames = new LiveFrames();
    expect(frames.push(`: keep-alive\n\n${frame(4)}retry: 1000\n\n`)).toEqual([change(4)]);
  });

  it('keeps an unfinished frame until its end arrives', () => {
    const frames = new LiveFrames();
    expect(frames.push(frame(5).slice(0, -1))).toEqual([]);
    expect(frames.push('\n')).toEqual([change(5)]);
  });
});
