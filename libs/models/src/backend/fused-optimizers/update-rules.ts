/**
 * Per-element optimizer updates, written to give the same float32 results as tfjs 4.22's
 * op-by-op updates: every intermediate is rounded to float32 (Math.fround) in the order tfjs
 * applies its ops, so a fused step equals the unfused one bit for bit (IEEE add, mul, div and
 * sqrt are correctly rounded on both sides).
 */
const f = Math.fround;

export type TUpdateRule = 'adam' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta' | 'momentum' | 'sgd';

/** value, then the optimizer's slots in a fixed order (the rule's SLOTS), each new one per output. */
export type TUpdateArrays = { value: Float32Array; gradient: Float32Array; slots: Float32Array[] };

/** Scalars of the step: hyper-parameters and the optimizer's scalar state (accBeta1, iteration...). */
export type TUpdateScalars = Record<string, number>;

/** Writes the new value into outValue and the new slots into outSlots. */
export function applyUpdateRule(rule: TUpdateRule, s: TUpdateScalars, input: TUpdateArrays, outValue: Float32Array, outSlots: Float32Array[]): void {
  const { value, gradient: g, slots } = input;
  const n = value.length;
  const at = (a: Float32Array[], i: number): Float32Array => a[i] as Float32Array;
  const k = (name: string): number => {
    const v = s[name];
    if (v === undefined) throw new Error(`fused ${rule} update: missing scalar '${name}'`);
    return v;
  };
  switch (rule) {
    case 'adam': {
      const [m, v, mOut, vOut] = [at(slots, 0), at(slots, 1), at(outSlots, 0), at(outSlots, 1)];
      const b1 = f(k('beta1'));
      const omb1 = f(1 - k('beta1'));
      const b2 = f(k('beta2'));
      const omb2 = f(1 - k('beta2'));
      const omAcc1 = f(1 - f(k('accBeta1')));
      const omAcc2 = f(1 - f(k('accBeta2')));
      const eps = f(k('epsilon'));
      const negLr = f(-k('learningRate'));
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const m1 = f(f((m[i] as number) * b1) + f(gi * omb1));
        const v1 = f(f((v[i] as number) * b2) + f(f(gi * gi) * omb2));
        const mHat = f(m1 / omAcc1);
        const vHat = f(v1 / omAcc2);
        mOut[i] = m1;
        vOut[i] = v1;
        outValue[i] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + (value[i] as number));
      }
      return;
    }
    case 'adamax': {
      const [m, u, mOut, uOut] = [at(slots, 0), at(slots, 1), at(outSlots, 0), at(outSlots, 1)];
      const b1 = f(k('beta1'));
      const omb1 = f(1 - k('beta1'));
      const b2 = f(k('beta2'));
      const eps = f(k('epsilon'));
      // lr = -learningRate / (iteration * decay + 1); then lr / (1 - accBeta1)
      const lr = f(f(-k('learningRate')) / f(f(f(k('iteration')) * f(k('decay'))) + 1));
      const step = f(lr / f(1 - f(k('accBeta1'))));
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const m1 = f(f((m[i] as number) * b1) + f(gi * omb1));
        const u1 = Math.max(f((u[i] as number) * b2), Math.abs(gi));
        mOut[i] = m1;
        uOut[i] = u1;
        outValue[i] = f(f(step * f(m1 / f(u1 + eps))) + (value[i] as number));
      }
      return;
    }
    case 'rmsprop': {
      // slots: mean squares, moments, and mean gradients when centered
      const [ms, mom, msOut, momOut] = [at(slots, 0), at(slots, 1), at(outSlots, 0), at(outSlots, 1)];
      const centered = k('centered') === 1;
      const [mg, mgOut] = centered ? [at(slots, 2), at(outSlots, 2)] : [ms, msOut];
      const decay = f(k('decay'));
      const omDecay = f(1 - k('decay'));
      const momentum = f(k('momentum'));
      const lr = f(k('learningRate'));
      const eps = f(k('epsilon'));
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const ms1 = f(f((ms[i] as number) * decay) + f(f(gi * gi) * omDecay));
        let denom: number;
        if (centered) {
          const mg1 = f(f((mg[i] as number) * decay) + f(gi * omDecay));
          mgOut[i] = mg1;
          denom = f(Math.sqrt(f(ms1 - f(f(mg1 * mg1) + eps))));
        } else {
          denom = f(Math.sqrt(f(ms1 + eps)));
        }
        const mom1 = f(f((mom[i] as number) * momentum) + f(f(gi * lr) / denom));
        msOut[i] = ms1;
        momOut[i] = mom1;
        outValue[i] = f((value[i] as number) - mom1);
      }
      return;
    }
    case 'adagrad': {
      const [acc, accOut] = [at(slots, 0), at(outSlots, 0)];
      const eps = f(k('epsilon'));
      const negLr = f(-k('learningRate'));
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const acc1 = f((acc[i] as number) + f(gi * gi));
        accOut[i] = acc1;
        outValue[i] = f(f(f(gi / f(Math.sqrt(f(acc1 + eps)))) * negLr) + (value[i] as number));
      }
      return;
    }
    case 'adadelta': {
      // tfjs scales by the accumulated gradient from BEFORE this step (Keras uses the new one).
      const [ag, au, agOut, auOut] = [at(slots, 0), at(slots, 1), at(outSlots, 0), at(outSlots, 1)];
      const rho = f(k('rho'));
      const omRho = f(1 - k('rho'));
      const eps = f(k('epsilon'));
      const negLr = f(-k('learningRate'));
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const agi = ag[i] as number;
        const aui = au[i] as number;
        const ag1 = f(f(agi * rho) + f(f(gi * gi) * omRho));
        const update = f(f(f(Math.sqrt(f(aui + eps))) / f(Math.sqrt(f(agi + eps)))) * gi);
        agOut[i] = ag1;
        auOut[i] = f(f(aui * rho) + f(f(update * update) * omRho));
        outValue[i] = f(f(update * negLr) + (value[i] as number));
      }
      return;
    }
    case 'momentum': {
      const [acc, accOut] = [at(slots, 0), at(outSlots, 0)];
      const m = f(k('momentum'));
      const c = f(k('c'));
      const nesterov = k('nesterov') === 1;
      for (let i = 0; i < n; i += 1) {
        const gi = g[i] as number;
        const acc1 = f(f(m * (acc[i] as number)) + gi);
        accOut[i] = acc1;
        const step = nesterov ? f(c * f(gi + f(acc1 * m))) : f(c * acc1);
        outValue[i] = f(step + (value[i] as number));
      }
      return;
    }
    case 'sgd': {
      const c = f(k('c'));
      for (let i = 0; i < n; i += 1) outValue[i] = f(f(c * (g[i] as number)) + (value[i] as number));
      return;
    }
  }
}
