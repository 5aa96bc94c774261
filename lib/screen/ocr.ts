// Reading text off a screenshot with tesseract, run as an external program (Debian:
// tesseract-ocr + tesseract-ocr-eng). It is looked up before a build starts, so a
// template using <waitScreen> fails validation on a host without it, not mid-build.
import { CancelledError, KilnError } from '../errors.js';

export const TESSERACT_INSTALL_HINT =
  'install it: sudo apt install tesseract-ocr tesseract-ocr-eng (Debian/Ubuntu), sudo dnf install tesseract (Fedora), brew install tesseract (macOS)';

export interface OcrOptions {
  signal?: AbortSignal;
  /** Default "tesseract". */
  binary?: string;
  /** Tesseract language; default eng. */
  language?: string;
}

/** The text tesseract reads in the image at `imagePath` (PNG). */
export async function recognizeText(imagePath: string, options: OcrOptions = {}): Promise<string> {
  const binary = options.binary ?? 'tesseract';
  if (options.signal?.aborted) throw new CancelledError();
  // Imported on first use: `kiln validate` loads this module without running anything.
  const { execa } = await import('execa');
  const result = await execa(binary, [imagePath, 'stdout', '-l', options.language ?? 'eng'], {
    reject: false,
    cancelSignal: options.signal,
    stdin: 'ignore',
  });
  if (options.signal?.aborted) throw new CancelledError();
  if (result.code === 'ENOENT') {
    throw new KilnError('E_TOOL', `<waitScreen> reads the screen with tesseract, which is not installed (${binary} not found)`, {
      hint: TESSERACT_INSTALL_HINT,
    });
  }
  if (result.exitCode !== 0) {
    const said = String(result.stderr).trim().split('\n').slice(-3).join(' ');
    throw new KilnError('E_TOOL', `tesseract failed on ${imagePath} (exit ${result.exitCode ?? result.signal}): ${said || 'no message'}`, {
      hint: /data|language|traineddata/i.test(said) ? `the English language data is missing: ${TESSERACT_INSTALL_HINT}` : 'run the same tesseract command by hand to see why',
    });
  }
  return String(result.stdout);
}
