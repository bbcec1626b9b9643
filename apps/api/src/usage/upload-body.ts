import busboy from 'busboy';
import type { Request } from 'express';
import { ValidationFailed } from '@fairshare/domain';
import type { UploadBody, UploadedFile } from '@fairshare/usage';

const isMultipart = (type: string | undefined) => /^multipart\/form-data\s*(;|$)/i.test(type ?? '');

/** The body of POST /v1/usage-reports/upload: the file itself, or a multipart/form-data body holding it. */
export function uploadBody(req: Request): UploadBody {
  const contentType = req.headers['content-type'];
  const length = req.headers['content-length'];
  const contentLength = length !== undefined ? Number(length) : undefined;
  if (!isMultipart(contentType)) {
    return {
      multipart: false,
      contentType,
      contentLength,
      open: async () => ({ stream: req, finished: Promise.resolve(), abandon: () => undefined }),
    };
  }
  return { multipart: true, contentType, contentLength, open: () => multipartFile(req) };
}

const invalid = (message: string) => new ValidationFailed('MULTIPART_INVALID', message);
/** busboy's own message inside ours, without its final period. */
const why = (e: unknown) => String((e as Error)?.message ?? e).replace(/\.$/, '');

/**
 * Streams the one file of a multipart/form-data body (busboy): resolves when its part begins,
 * with the part's bytes as a stream (nothing is buffered beyond the parser's chunk). The target
 * of the report stays in the query string: a form field, a second file, a malformed or cut-off
 * body make `finished` reject with 400 MULTIPART_INVALID; no file at all, 400 MULTIPART_NO_FILE.
 */
function multipartFile(req: Request): Promise<UploadedFile> {
  return new Promise<UploadedFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 0 } });
    } catch (e) {
      reject(invalid(`The multipart body cannot be read: ${why(e)}.`));
      return;
    }
    let file: UploadedFile | null = null;
    let problem: ValidationFailed | null = null;
    const finished = new Promise<void>((done, fail) => {
      parser.on('close', () => (problem ? fail(problem) : done()));
      parser.on('error', (e: Error) => fail(problem ?? invalid(`The multipart body is malformed: ${why(e)}.`)));
    });
    finished.catch(() => undefined);
    const abandon = () => {
      req.unpipe(parser);
      parser.destroy();
    };
    parser.on('file', (_name, stream, info) => {
      // Its errors reach the reader (a failed read) and `finished`; one no reader waits for any more
      // (the upload was refused mid-file) must not be an unhandled 'error' event.
      stream.on('error', () => undefined);
      file = { stream, contentType: info.mimeType, filename: info.filename, finished, abandon };
      resolve(file);
    });
    const onlyOneFile = () =>
      (problem ??= invalid('A multipart upload holds exactly one file and nothing else: licenceId, period, supersedes and format go in the query string.'));
    // busboy skips the parts beyond its limits and says so once: a second file, any field.
    parser.on('filesLimit', onlyOneFile);
    parser.on('fieldsLimit', onlyOneFile);
    // A client that goes away mid-upload: the parser would otherwise wait for the rest forever.
    req.on('close', () => {
      if (!req.complete) parser.destroy(new Error('the upload was cut off'));
    });
    finished.then(
      () => file ?? reject(new ValidationFailed('MULTIPART_NO_FILE', 'The multipart body holds no file.')),
      (e: unknown) => file ?? reject(e),
    );
    req.pipe(parser);
  });
}
