'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ChangeEvent, FormEvent } from 'react';

import { PREDICT_PIXELS_SIDE } from '@hyperzoo/schemas';
import type { TPredictImage, TRunDetail } from '@hyperzoo/schemas';

import { describeError, getErrorCode } from '@/lib/errors';
import { formatPercent } from '@/lib/format';
import { canSendEncoded, encodedImage, greyPixels } from '@/lib/predict-image';
import { useTRPC } from '@/trpc/react';

const TOP_K = [3, 5, 10];

/** PNG/JPEG as they are; any other image the browser decodes, drawn on a 28 x 28 canvas and sent as grey pixels. */
async function readImage(file: File): Promise<TPredictImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (canSendEncoded(bytes)) return encodedImage(bytes);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} is not an image this browser can read`);
  }
  const canvas = document.createElement('canvas');
  canvas.width = PREDICT_PIXELS_SIDE;
  canvas.height = PREDICT_PIXELS_SIDE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser has no 2D canvas to scale the image');
  ctx.drawImage(bitmap, 0, 0, PREDICT_PIXELS_SIDE, PREDICT_PIXELS_SIDE);
  bitmap.close();
  return greyPixels(ctx.getImageData(0, 0, PREDICT_PIXELS_SIDE, PREDICT_PIXELS_SIDE).data);
}

/** "Try it": one image through the run's trained model (runs.predict, answered by a worker of the team), top-K as bars. */
export function RunTryIt({ run }: { run: TRunDetail }) {
  const trpc = useTRPC();
  const predict = useMutation(trpc.runs.predict.mutationOptions());
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [topK, setTopK] = useState(5);

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  function choose(e: ChangeEvent<HTMLInputElement>) {
    const chosen = e.target.files?.[0] ?? null;
    if (!chosen) setPreview(null);
    setFile(chosen);
    setReadError(null);
    predict.reset();
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!file) return;
    setReadError(null);
    setReading(true);
    try {
      const image = await readImage(file);
      predict.mutate({ runId: run.id, image, topK });
    } catch (err) {
      setReadError(err instanceof Error ? err.message : String(err));
    } finally {
      setReading(false);
    }
  }

  const busy = reading || predict.isPending;
  return (
    <div className="try-it">
      {run.status !== 'succeeded' && (
        <p className="muted">This run has not succeeded ({run.status}): a prediction uses its best or newest checkpoint, if it stored one.</p>
      )}
      <form className="form form-inline" onSubmit={(e) => void submit(e)} aria-label="Try the model">
        <label className="field">
          <span>Image (PNG, JPEG or any image; scaled to {PREDICT_PIXELS_SIDE}×{PREDICT_PIXELS_SIDE} grey)</span>
          <input name="image" type="file" accept="image/*" required onChange={choose} />
        </label>
        <label className="field">
          <span>Top</span>
          <select name="topK" value={topK} onChange={(e) => setTopK(Number(e.target.value))}>
            {TOP_K.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <button className="button" type="submit" disabled={!file || busy}>
          {busy ? 'Predicting…' : 'Predict'}
        </button>
      </form>
      {readError && (
        <p className="form-error" role="alert">
          {readError}
        </p>
      )}
      {predict.isError && (
        <p className="form-error" role="alert">
          {getErrorCode(predict.error) === 'PRECONDITION_FAILED' ? `No prediction: ${describeError(predict.error)}` : describeError(predict.error)}
        </p>
      )}
      <div className="try-it-result">
        {preview && file && <img className="try-it-preview" src={preview} alt={`Uploaded: ${file.name}`} />}
        {predict.data && (
          <div>
            <p className="muted">
              Model: {predict.data.model.kind}
              {predict.data.model.epoch === null ? '' : ` of epoch ${predict.data.model.epoch}`}
            </p>
            <ol className="prediction-bars" aria-label="Predictions">
              {predict.data.predictions.map((p) => (
                <li key={p.classIndex}>
                  <span className="prediction-name">{p.className}</span>
                  <span className="prediction-bar" aria-hidden="true">
                    <span style={{ width: `${Math.max(0, Math.min(1, p.probability)) * 100}%` }} />
                  </span>
                  <span className="prediction-value">{formatPercent(p.probability, 1)}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </div>
  );
}
