import type { TEpochMetric } from '@hyperzoo/schemas';

import { formatDuration, formatLearningRate, formatMetric, formatPercent, formatRate } from '@/lib/format';

export function EpochTable({ epochs, bestEpoch, stoppedEpoch }: { epochs: TEpochMetric[]; bestEpoch: number | null; stoppedEpoch: number | null }) {
  const hasFinetune = epochs.some((e) => e.phase === 'finetune');
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Epochs">
        <thead>
          <tr>
            <th className="num">Epoch</th>
            {hasFinetune && <th>Phase</th>}
            <th className="num">loss</th>
            <th className="num">accuracy</th>
            <th className="num">val_loss</th>
            <th className="num">val_accuracy</th>
            <th className="num">lr</th>
            <th className="num">Duration</th>
            <th className="num">Images/s</th>
          </tr>
        </thead>
        <tbody>
          {epochs.map((e) => (
            <tr key={e.epoch} className={e.epoch === bestEpoch ? 'best' : undefined} data-epoch={e.epoch}>
              <td className="num">
                {e.epoch}
                {e.epoch === bestEpoch && <span className="tag">best</span>}
                {e.epoch === stoppedEpoch && <span className="tag">stopped</span>}
              </td>
              {hasFinetune && <td>{e.phase}</td>}
              <td className="num">{formatMetric(e.loss)}</td>
              <td className="num">{formatPercent(e.accuracy)}</td>
              <td className="num">{formatMetric(e.val_loss)}</td>
              <td className="num">{formatPercent(e.val_accuracy)}</td>
              <td className="num">{formatLearningRate(e.lr)}</td>
              <td className="num">{formatDuration(e.duration_ms)}</td>
              <td className="num">{formatRate(e.images_per_sec)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
