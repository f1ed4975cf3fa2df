;; SIMD kernels that run on the tfjs wasm backend's own memory (imported), addressed by the byte
;; offsets of its tensors. Build: npx tsx libs/models/src/backend/wasm/simd/build-simd-kernels.ts
(module
  (import "env" "memory" (memory 1))

  ;; Adam, as tfjs 4.22 computes it op by op in float32 (f32x4 lanes round exactly like f32):
  ;;   m' = m*b1 + g*(1-b1); v' = v*b2 + (g*g)*(1-b2)
  ;;   value' = ((m'/(1-accB1)) / (sqrt(v'/(1-accB2)) + eps)) * -lr + value
  (func (export "adam")
    (param $value i32) (param $grad i32) (param $m i32) (param $v i32)
    (param $outValue i32) (param $outM i32) (param $outV i32) (param $n i32)
    (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32)
    (param $omAcc1 f32) (param $omAcc2 f32) (param $eps f32) (param $negLr f32)
    (local $off i32) (local $end i32)
    (local $g v128) (local $m1 v128) (local $v1 v128)
    (local $vb1 v128) (local $vomb1 v128) (local $vb2 v128) (local $vomb2 v128)
    (local $vacc1 v128) (local $vacc2 v128) (local $veps v128) (local $vlr v128)
    (local $sg f32) (local $sm f32) (local $sv f32)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vomb1 (f32x4.splat (local.get $omb1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vomb2 (f32x4.splat (local.get $omb2)))
    (local.set $vacc1 (f32x4.splat (local.get $omAcc1)))
    (local.set $vacc2 (f32x4.splat (local.get $omAcc2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vlr (f32x4.splat (local.get $negLr)))
    ;; four lanes at a time over the first n & ~3 elements (byte offsets)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $g (v128.load (i32.add (local.get $grad) (local.get $off))))
        (local.set $m1 (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $off))) (local.get $vb1))
          (f32x4.mul (local.get $g) (local.get $vomb1))))
        (local.set $v1 (f32x4.add
          (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $off))) (local.get $vb2))
          (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (local.get $vomb2))))
        (v128.store (i32.add (local.get $outM) (local.get $off)) (local.get $m1))
        (v128.store (i32.add (local.get $outV) (local.get $off)) (local.get $v1))
        (v128.store (i32.add (local.get $outValue) (local.get $off))
          (f32x4.add
            (f32x4.mul
              (f32x4.div
                (f32x4.div (local.get $m1) (local.get $vacc1))
                (f32x4.add (f32x4.sqrt (f32x4.div (local.get $v1) (local.get $vacc2))) (local.get $veps)))
              (local.get $vlr))
            (v128.load (i32.add (local.get $value) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $vloop)))
    ;; the remaining 0-3 elements one by one
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $sg (f32.load (i32.add (local.get $grad) (local.get $off))))
        (local.set $sm (f32.add
          (f32.mul (f32.load (i32.add (local.get $m) (local.get $off))) (local.get $b1))
          (f32.mul (local.get $sg) (local.get $omb1))))
        (local.set $sv (f32.add
          (f32.mul (f32.load (i32.add (local.get $v) (local.get $off))) (local.get $b2))
          (f32.mul (f32.mul (local.get $sg) (local.get $sg)) (local.get $omb2))))
        (f32.store (i32.add (local.get $outM) (local.get $off)) (local.get $sm))
        (f32.store (i32.add (local.get $outV) (local.get $off)) (local.get $sv))
        (f32.store (i32.add (local.get $outValue) (local.get $off))
          (f32.add
            (f32.mul
              (f32.div
                (f32.div (local.get $sm) (local.get $omAcc1))
                (f32.add (f32.sqrt (f32.div (local.get $sv) (local.get $omAcc2))) (local.get $eps)))
              (local.get $negLr))
            (f32.load (i32.add (local.get $value) (local.get $off)))))
        (local.set $off (i32.add (local.get $off) (i32.const 4)))
        (br $sloop))))
;; dst[0..n) += src[0..n) (float32), four lanes at a time, then one by one.
  (func $addRun (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vloop)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $sloop))))

  ;; col2im: adds the patch rows cols[(b,oy,ox), (ky,kx,c)] back onto the NHWC image dx
  ;; (which the caller zeroes): dx[b, oy*sh+ky-pt, ox*sw+kx-pl, c] += ... Taps outside the image
  ;; are skipped. With cols = dY·Wᵀ this is Conv2DBackpropInput.
  (func (export "col2im")
    (param $cols i32) (param $dx i32) (param $batch i32) (param $oh i32) (param $ow i32)
    (param $kh i32) (param $kw i32) (param $cin i32) (param $h i32) (param $w i32)
    (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32)
    (local $r i32) (local $q i32) (local $src i32) (local $pixel i32)
    (local.set $src (local.get $cols))
    (local.set $pixel (i32.shl (local.get $cin) (i32.const 2)))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oydone (loop $oyloop
        (br_if $oydone (i32.ge_u (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $oxdone (loop $oxloop
          (br_if $oxdone (i32.ge_u (local.get $ox) (local.get $ow)))
          (local.set $ky (i32.const 0))
          (block $kydone (loop $kyloop
            (br_if $kydone (i32.ge_u (local.get $ky) (local.get $kh)))
            (local.set $r (i32.sub (i32.add (i32.mul (local.get $oy) (local.get $sh)) (local.get $ky)) (local.get $pt)))
            (local.set $kx (i32.const 0))
            (block $kxdone (loop $kxloop
              (br_if $kxdone (i32.ge_u (local.get $kx) (local.get $kw)))
              (local.set $q (i32.sub (i32.add (i32.mul (local.get $ox) (local.get $sw)) (local.get $kx)) (local.get $pl)))
              ;; unsigned compares also reject negative rows and columns
              (if (i32.and (i32.lt_u (local.get $r) (local.get $h)) (i32.lt_u (local.get $q) (local.get $w)))
                (then
                  (call $addRun
                    (i32.add (local.get $dx)
                      (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $r)) (local.get $w)) (local.get $q)) (local.get $pixel)))
                    (local.get $src) (local.get $cin))))
              (local.set $src (i32.add (local.get $src) (local.get $pixel)))
              (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
              (br $kxloop)))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kyloop)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxloop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oyloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
  )
;; dst[0..n) = src[0..n) * scale, four lanes at a time, then one by one.
  (func $scaleRun (param $dst i32) (param $src i32) (param $n i32) (param $scale v128)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vdone
      (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $src)) (local.get $scale)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vloop)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $sdone
      (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.mul (f32.load (local.get $src)) (f32x4.extract_lane 0 (local.get $scale))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $sloop))))

  ;; Gradient of an average pool whose windows tile the input (filter = stride, no leading pad):
  ;; dx[b,y,x,c] = dy[b, y/sh, x/sw, c] * scale for y < rows, x < cols; the caller zeroes dx
  ;; when rows or cols stop short of the image.
  (func (export "avgPoolGradTiles")
    (param $dy i32) (param $dx i32) (param $batch i32) (param $h i32) (param $w i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $sh i32) (param $sw i32) (param $rows i32) (param $cols i32) (param $scale f32)
    (local $b i32) (local $y i32) (local $x i32) (local $pixel i32) (local $vscale v128) (local $srcRow i32) (local $dstRow i32)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $y (i32.const 0))
      (block $ydone (loop $yloop
        (br_if $ydone (i32.ge_u (local.get $y) (local.get $rows)))
        (local.set $srcRow (i32.add (local.get $dy)
          (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (i32.div_u (local.get $y) (local.get $sh))) (local.get $ow)) (local.get $pixel))))
        (local.set $dstRow (i32.add (local.get $dx)
          (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y)) (local.get $w)) (local.get $pixel))))
        (local.set $x (i32.const 0))
        (block $xdone (loop $xloop
          (br_if $xdone (i32.ge_u (local.get $x) (local.get $cols)))
          (call $scaleRun
            (i32.add (local.get $dstRow) (i32.mul (local.get $x) (local.get $pixel)))
            (i32.add (local.get $srcRow) (i32.mul (i32.div_u (local.get $x) (local.get $sw)) (local.get $pixel)))
            (local.get $c) (local.get $vscale))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br $xloop)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $yloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
  )

  ;; Column sums of a row-major [rows, n] matrix into out[n], in blocks of 64 rows (a partial sum
  ;; per block, then the partials): float32 rounding error grows with about rows/64 + 64, not rows.
  (func (export "columnSums") (param $x i32) (param $rows i32) (param $n i32) (param $out i32) (param $partial i32)
    (local $r i32) (local $blockEnd i32) (local $rowBytes i32) (local $src i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (local.set $src (local.get $x))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (memory.fill (local.get $partial) (i32.const 0) (local.get $rowBytes))
      (local.set $blockEnd (i32.add (local.get $r) (i32.const 64)))
      (if (i32.gt_u (local.get $blockEnd) (local.get $rows)) (then (local.set $blockEnd (local.get $rows))))
      (block $bdone (loop $rowsLoop
        (br_if $bdone (i32.ge_u (local.get $r) (local.get $blockEnd)))
        (call $addRun (local.get $partial) (local.get $src) (local.get $n))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop)))
      (call $addRun (local.get $out) (local.get $partial) (local.get $n))
      (br $blocks)))
  )
;; [a, b, run] -> [b, a, run]: copies runs of `run` floats (e.g. dy [B, H*W, C] -> [H*W, B, C]).
  (func (export "swapOuterAxes") (param $src i32) (param $dst i32) (param $a i32) (param $b i32) (param $run i32)
    (local $i i32) (local $j i32) (local $from i32) (local $to i32) (local $end i32) (local $runBytes i32) (local $stride i32)
    (local.set $runBytes (i32.shl (local.get $run) (i32.const 2)))
    (local.set $stride (i32.mul (local.get $runBytes) (local.get $a)))
    (local.set $from (local.get $src))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $a)))
      (local.set $to (i32.add (local.get $dst) (i32.mul (local.get $i) (local.get $runBytes))))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $b)))
        (memory.copy (local.get $to) (local.get $from) (local.get $runBytes))
        (local.set $from (i32.add (local.get $from) (local.get $runBytes)))
        (local.set $to (i32.add (local.get $to) (local.get $stride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jloop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop)))
  )
;; Max-pool gradient: each dy goes to the first maximum of its window (scan order rows, then
  ;; columns, as the cpu backend), channels four at a time. dx must be zeroed by the caller.
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $h i32) (param $w i32) (param $c i32)
    (param $oh i32) (param $ow i32) (param $fh i32) (param $fw i32) (param $sh i32) (param $sw i32) (param $pt i32) (param $pl i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $r i32) (local $col i32) (local $ch i32)
    (local $rMin i32) (local $rMax i32) (local $cMin i32) (local $cMax i32) (local $g i32) (local $i i32) (local $e i32)
    (local $best v128) (local $at v128) (local $v v128) (local $mask v128) (local $lanes v128)
    (local $sbest f32) (local $sv f32) (local $sat i32)
    (local.set $lanes (v128.const i32x4 0 1 2 3))
    (block $bdone (loop $bloop
      (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oydone (loop $oyloop
        (br_if $oydone (i32.ge_u (local.get $oy) (local.get $oh)))
        (local.set $rMin (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $pt)))
        (local.set $rMax (i32.add (local.get $rMin) (local.get $fh)))
        (if (i32.lt_s (local.get $rMin) (i32.const 0)) (then (local.set $rMin (i32.const 0))))
        (if (i32.gt_s (local.get $rMax) (local.get $h)) (then (local.set $rMax (local.get $h))))
        (local.set $ox (i32.const 0))
        (block $oxdone (loop $oxloop
          (br_if $oxdone (i32.ge_u (local.get $ox) (local.get $ow)))
          (local.set $cMin (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pl)))
          (local.set $cMax (i32.add (local.get $cMin) (local.get $fw)))
          (if (i32.lt_s (local.get $cMin) (i32.const 0)) (then (local.set $cMin (i32.const 0))))
          (if (i32.gt_s (local.get $cMax) (local.get $w)) (then (local.set $cMax (local.get $w))))
          (local.set $ch (i32.const 0))
          ;; four channels at a time
          (block $vdone (loop $vloop
            (br_if $vdone (i32.gt_s (i32.add (local.get $ch) (i32.const 4)) (local.get $c)))
            (local.set $best (f32x4.splat (f32.const -inf)))
            (local.set $at (i32x4.splat (i32.const -1)))
            (local.set $r (local.get $rMin))
            (block $rdone (loop $rloop
              (br_if $rdone (i32.ge_s (local.get $r) (local.get $rMax)))
              (local.set $col (local.get $cMin))
              (block $cdone (loop $cloop
                (br_if $cdone (i32.ge_s (local.get $col) (local.get $cMax)))
                (local.set $e (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $r)) (local.get $w)) (local.get $col)) (local.get $c)) (local.get $ch)))
                (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $e) (i32.const 2)))))
                (local.set $mask (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $mask)))
                (local.set $at (v128.bitselect (i32x4.add (i32x4.splat (local.get $e)) (local.get $lanes)) (local.get $at) (local.get $mask)))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $cloop)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $rloop)))
            (local.set $g (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $ow)) (local.get $ox)) (local.get $c)) (local.get $ch)))
              (local.set $i (i32x4.extract_lane 0 (local.get $at)))
              (if (i32.ge_s (local.get $i) (i32.const 0))
                (then (f32.store (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2)))
                  (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
                    (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $g) (i32.const 0)) (i32.const 2))))))))
              (local.set $i (i32x4.extract_lane 1 (local.get $at)))
              (if (i32.ge_s (local.get $i) (i32.const 0))
                (then (f32.store (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2)))
                  (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
                    (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2))))))))
              (local.set $i (i32x4.extract_lane 2 (local.get $at)))
              (if (i32.ge_s (local.get $i) (i32.const 0))
                (then (f32.store (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2)))
                  (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
                    (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $g) (i32.const 2)) (i32.const 2))))))))
              (local.set $i (i32x4.extract_lane 3 (local.get $at)))
              (if (i32.ge_s (local.get $i) (i32.const 0))
                (then (f32.store (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2)))
                  (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
                    (f32.load (i32.add (local.get $dy) (i32.shl (i32.add (local.get $g) (i32.const 3)) (i32.const 2))))))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $vloop)))
          ;; the remaining channels one by one
          (block $sdone (loop $sloop
            (br_if $sdone (i32.ge_s (local.get $ch) (local.get $c)))
            (local.set $sbest (f32.const -inf))
            (local.set $sat (i32.const -1))
            (local.set $r (local.get $rMin))
            (block $rdone2 (loop $rloop2
              (br_if $rdone2 (i32.ge_s (local.get $r) (local.get $rMax)))
              (local.set $col (local.get $cMin))
              (block $cdone2 (loop $cloop2
                (br_if $cdone2 (i32.ge_s (local.get $col) (local.get $cMax)))
                (local.set $e (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $r)) (local.get $w)) (local.get $col)) (local.get $c)) (local.get $ch)))
                (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $e) (i32.const 2)))))
                (if (f32.gt (local.get $sv) (local.get $sbest)) (then (local.set $sbest (local.get $sv)) (local.set $sat (local.get $e))))
                (local.set $col (i32.add (local.get $col) (i32.const 1)))
                (br $cloop2)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $rloop2)))
            (if (i32.ge_s (local.get $sat) (i32.const 0))
              (then (f32.store (i32.add (local.get $dx) (i32.shl (local.get $sat) (i32.const 2)))
                (f32.add (f32.load (i32.add (local.get $dx) (i32.shl (local.get $sat) (i32.const 2))))
                  (f32.load (i32.add (local.get $dy) (i32.shl
                    (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $ow)) (local.get $ox)) (local.get $c)) (local.get $ch))
                    (i32.const 2))))))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 1)))
            (br $sloop)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxloop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oyloop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bloop)))
  )
;; count runs of `run` floats, `stride` floats apart in src, packed one after another into dst
  ;; (slicing channels out of NHWC, as the gradient of a channel concatenation does).
  (func (export "gatherRuns") (param $src i32) (param $stride i32) (param $dst i32) (param $run i32) (param $count i32)
    (local $i i32) (local $runBytes i32) (local $strideBytes i32)
    (local.set $runBytes (i32.shl (local.get $run) (i32.const 2)))
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 2)))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (memory.copy (local.get $dst) (local.get $src) (local.get $runBytes))
      (local.set $src (i32.add (local.get $src) (local.get $strideBytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $runBytes)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $loop)))
  )

  ;; Filter gradient of an NHWC convolution over a zero-padded input, so without bounds checks:
  ;;   dw[k, j, co] += sum over b in [b0, b1), oy < oh, ox < ow of xp[b, oy*sh + k, ox*sw*cin + j] * dy[b, oy, ox, co]
  ;; for k < kh, j < jn (kw*cin rounded up to 4: one patch row of kw pixels is contiguous in NHWC;
  ;; the rows past kw*cin read the next floats and are dropped by the caller), co < con (a multiple
  ;; of 4). xp is [B, hp, xrow/cin, cin] with at least 3 floats after it, dy [B, oh, ow, con] (dyrow
  ;; = ow*con), dw [kh, jn, con]. Register tile: 4 rows of j by 8 (or, for the last 4, 4) of co,
  ;; accumulated over every pixel before it is stored.
  (func (export "convFilterGrad")
    (param $xp i32) (param $dy i32) (param $dw i32) (param $b0 i32) (param $b1 i32)
    (param $hp i32) (param $xrow i32) (param $cin i32) (param $oh i32) (param $ow i32) (param $con i32)
    (param $kh i32) (param $jn i32) (param $sh i32) (param $sw i32)
    (local $k i32) (local $j i32) (local $co i32) (local $b i32) (local $oy i32)
    (local $px i32) (local $pd i32) (local $pw i32) (local $end i32)
    (local $xstep i32) (local $dystep i32) (local $dyrow i32) (local $wrow i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $v v128) (local $d0 v128) (local $d1 v128)
    (local.set $xstep (i32.shl (i32.mul (local.get $sw) (local.get $cin)) (i32.const 2)))
    (local.set $dystep (i32.shl (local.get $con) (i32.const 2)))
    (local.set $dyrow (i32.mul (local.get $ow) (local.get $con)))
    (local.set $wrow (i32.shl (local.get $con) (i32.const 2)))
    (block $kdone (loop $kloop
      (br_if $kdone (i32.ge_u (local.get $k) (local.get $kh)))
      (local.set $j (i32.const 0))
      (block $jdone (loop $jloop
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $jn)))
        (local.set $co (i32.const 0))
        ;; co eight at a time
        (block $cdone (loop $cloop
          (br_if $cdone (i32.gt_u (i32.add (local.get $co) (i32.const 8)) (local.get $con)))
          (local.set $pw (i32.add (local.get $dw) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $k) (local.get $jn)) (local.get $j)) (local.get $con)) (local.get $co)) (i32.const 2))))
          (local.set $a0 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0)))))
          (local.set $a1 (v128.load offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0)))))
          (local.set $a2 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1)))))
          (local.set $a3 (v128.load offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1)))))
          (local.set $a4 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2)))))
          (local.set $a5 (v128.load offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2)))))
          (local.set $a6 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3)))))
          (local.set $a7 (v128.load offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3)))))
          (local.set $b (local.get $b0))
          (block $bdone8 (loop $bloop8
            (br_if $bdone8 (i32.ge_u (local.get $b) (local.get $b1)))
            (local.set $oy (i32.const 0))
            (block $oydone8 (loop $oyloop8
              (br_if $oydone8 (i32.ge_u (local.get $oy) (local.get $oh)))
              (local.set $px (i32.add (local.get $xp) (i32.shl (i32.add (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $hp)) (i32.add (i32.mul (local.get $oy) (local.get $sh)) (local.get $k)))
                (local.get $xrow)) (local.get $j)) (i32.const 2))))
              (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $dyrow)) (local.get $co)) (i32.const 2))))
              (local.set $end (i32.add (local.get $pd) (i32.mul (local.get $ow) (local.get $dystep))))
              (block $pdone8 (loop $ploop8
                (br_if $pdone8 (i32.ge_u (local.get $pd) (local.get $end)))
                  (local.set $d0 (v128.load (local.get $pd)))
                  (local.set $d1 (v128.load offset=16 (local.get $pd)))
                  (local.set $v (v128.load32_splat offset=0 (local.get $px)))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (local.get $d1))))
                  (local.set $v (v128.load32_splat offset=4 (local.get $px)))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (local.get $d1))))
                  (local.set $v (v128.load32_splat offset=8 (local.get $px)))
                  (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (local.get $d1))))
                  (local.set $v (v128.load32_splat offset=12 (local.get $px)))
                  (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $v) (local.get $d1))))
                  (local.set $px (i32.add (local.get $px) (local.get $xstep)))
                  (local.set $pd (i32.add (local.get $pd) (local.get $dystep)))
                  (br $ploop8)))
              (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
              (br $oyloop8)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bloop8)))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0))) (local.get $a0))
          (v128.store offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0))) (local.get $a1))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1))) (local.get $a2))
          (v128.store offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1))) (local.get $a3))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2))) (local.get $a4))
          (v128.store offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2))) (local.get $a5))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3))) (local.get $a6))
          (v128.store offset=16 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3))) (local.get $a7))
          (local.set $co (i32.add (local.get $co) (i32.const 8)))
          (br $cloop)))
        ;; the last four of co
        (if (i32.lt_u (local.get $co) (local.get $con)) (then
          (local.set $pw (i32.add (local.get $dw) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $k) (local.get $jn)) (local.get $j)) (local.get $con)) (local.get $co)) (i32.const 2))))
          (local.set $a0 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0)))))
          (local.set $a2 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1)))))
          (local.set $a4 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2)))))
          (local.set $a6 (v128.load offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3)))))
          (local.set $b (local.get $b0))
          (block $bdone4 (loop $bloop4
            (br_if $bdone4 (i32.ge_u (local.get $b) (local.get $b1)))
            (local.set $oy (i32.const 0))
            (block $oydone4 (loop $oyloop4
              (br_if $oydone4 (i32.ge_u (local.get $oy) (local.get $oh)))
              (local.set $px (i32.add (local.get $xp) (i32.shl (i32.add (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $hp)) (i32.add (i32.mul (local.get $oy) (local.get $sh)) (local.get $k)))
                (local.get $xrow)) (local.get $j)) (i32.const 2))))
              (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul
                (i32.add (i32.mul (local.get $b) (local.get $oh)) (local.get $oy)) (local.get $dyrow)) (local.get $co)) (i32.const 2))))
              (local.set $end (i32.add (local.get $pd) (i32.mul (local.get $ow) (local.get $dystep))))
              (block $pdone4 (loop $ploop4
                (br_if $pdone4 (i32.ge_u (local.get $pd) (local.get $end)))
                  (local.set $d0 (v128.load (local.get $pd)))
                  (local.set $v (v128.load32_splat offset=0 (local.get $px)))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $v (v128.load32_splat offset=4 (local.get $px)))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $v (v128.load32_splat offset=8 (local.get $px)))
                  (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $v (v128.load32_splat offset=12 (local.get $px)))
                  (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $d0))))
                  (local.set $px (i32.add (local.get $px) (local.get $xstep)))
                  (local.set $pd (i32.add (local.get $pd) (local.get $dystep)))
                  (br $ploop4)))
              (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
              (br $oyloop4)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $bloop4)))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 0))) (local.get $a0))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 1))) (local.get $a2))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 2))) (local.get $a4))
          (v128.store offset=0 (i32.add (local.get $pw) (i32.mul (local.get $wrow) (i32.const 3))) (local.get $a6))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jloop)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kloop)))
  )

  (func $minu (param $a i32) (param $b i32) (result i32)
    (select (local.get $a) (local.get $b) (i32.lt_u (local.get $a) (local.get $b))))

  ;; Direct NHWC convolution over a zero-padded input (no bounds checks), images [b0, b1):
  ;;   out[b, p, co] = bias[co] + sum over k < kh, j < krow of xp[b][table[p] + k*xrow + j] * w[k, j, co]
  ;; (relu after, when asked). table[p] is the float offset of output pixel p's patch in its image
  ;; (npix pixels per image, imageFloats floats per padded image), a patch row being krow = kw*cin
  ;; contiguous floats. w is [kh, krow, con], con a multiple of 4; out [B, npix, con]; bias 0 for none.
  ;; Register tile: 4 pixels by 8 (or, for the last 4, 4) output channels, over the whole reduction.
  (func (export "convForward")
    (param $xp i32) (param $w i32) (param $bias i32) (param $out i32) (param $table i32)
    (param $b0 i32) (param $b1 i32) (param $npix i32) (param $imageFloats i32) (param $xrow i32)
    (param $kh i32) (param $krow i32) (param $con i32) (param $relu i32)
    (local $b i32) (local $g i32) (local $co i32) (local $k i32) (local $last i32) (local $pb i32)
    (local $xb i32) (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $off i32) (local $end i32) (local $pw i32) (local $po i32)
    (local $xrowBytes i32) (local $krowBytes i32) (local $wstep i32) (local $ostep i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $v v128) (local $w0 v128) (local $w1 v128) (local $i0 v128) (local $i1 v128) (local $zero v128)
    (local.set $xrowBytes (i32.shl (local.get $xrow) (i32.const 2)))
    (local.set $krowBytes (i32.shl (local.get $krow) (i32.const 2)))
    (local.set $wstep (i32.shl (local.get $con) (i32.const 2)))
    (local.set $ostep (i32.shl (local.get $con) (i32.const 2)))
    (local.set $last (i32.sub (local.get $npix) (i32.const 1)))
    (local.set $co (i32.const 0))
    ;; output channels eight at a time, then the last four
    (block $cdone (loop $cloop
      (br_if $cdone (i32.ge_u (local.get $co) (local.get $con)))
      (if (local.get $bias)
        (then
          (local.set $i0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $co) (i32.const 2)))))
          (local.set $i1 (v128.const i32x4 0 0 0 0))
          (if (i32.le_u (i32.add (local.get $co) (i32.const 8)) (local.get $con))
            (then (local.set $i1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $co) (i32.const 2))))))))
        (else
          (local.set $i0 (v128.const i32x4 0 0 0 0))
          (local.set $i1 (v128.const i32x4 0 0 0 0))))
      (local.set $b (local.get $b0))
      (block $bdone (loop $bloop
        (br_if $bdone (i32.ge_u (local.get $b) (local.get $b1)))
        (local.set $xb (i32.add (local.get $xp) (i32.shl (i32.mul (local.get $b) (local.get $imageFloats)) (i32.const 2))))
        (local.set $pb (i32.mul (local.get $b) (local.get $npix)))
        (local.set $g (i32.const 0))
        (block $gdone (loop $gloop
          (br_if $gdone (i32.ge_u (local.get $g) (local.get $npix)))
          (if (i32.le_u (i32.add (local.get $co) (i32.const 8)) (local.get $con))
            (then
            ;; four pixels' patch pointers (a short last group repeats its last pixel)
            (local.set $q0 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (local.get $g) (i32.const 2))))))
            (local.set $q1 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 1)) (local.get $last)) (i32.const 2))))))
            (local.set $q2 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 2)) (local.get $last)) (i32.const 2))))))
            (local.set $q3 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 3)) (local.get $last)) (i32.const 2))))))
            (local.set $a0 (local.get $i0))
            (local.set $a1 (local.get $i1))
            (local.set $a2 (local.get $i0))
            (local.set $a3 (local.get $i1))
            (local.set $a4 (local.get $i0))
            (local.set $a5 (local.get $i1))
            (local.set $a6 (local.get $i0))
            (local.set $a7 (local.get $i1))
            (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $co) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $kdone8 (loop $kloop8
              (br_if $kdone8 (i32.ge_u (local.get $k) (local.get $kh)))
              ;; one kernel row: krow contiguous floats of each pixel's patch
              (local.set $off (i32.mul (local.get $k) (local.get $xrowBytes)))
              (local.set $end (i32.add (local.get $off) (local.get $krowBytes)))
              (block $jdone8 (loop $jloop8
                (br_if $jdone8 (i32.ge_u (local.get $off) (local.get $end)))
                (local.set $w0 (v128.load (local.get $pw)))
                (local.set $w1 (v128.load offset=16 (local.get $pw)))
                (local.set $v (v128.load32_splat (i32.add (local.get $q0) (local.get $off))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (local.get $w1))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q1) (local.get $off))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (local.get $w1))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q2) (local.get $off))))
                (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (local.get $w1))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q3) (local.get $off))))
                (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $v) (local.get $w1))))
                (local.set $off (i32.add (local.get $off) (i32.const 4)))
                (local.set $pw (i32.add (local.get $pw) (local.get $wstep)))
                (br $jloop8)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kloop8)))
            (if (local.get $relu) (then
              (local.set $a0 (f32x4.max (local.get $a0) (local.get $zero)))
              (local.set $a1 (f32x4.max (local.get $a1) (local.get $zero)))
              (local.set $a2 (f32x4.max (local.get $a2) (local.get $zero)))
              (local.set $a3 (f32x4.max (local.get $a3) (local.get $zero)))
              (local.set $a4 (f32x4.max (local.get $a4) (local.get $zero)))
              (local.set $a5 (f32x4.max (local.get $a5) (local.get $zero)))
              (local.set $a6 (f32x4.max (local.get $a6) (local.get $zero)))
              (local.set $a7 (f32x4.max (local.get $a7) (local.get $zero)))))
            (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $pb) (local.get $g)) (local.get $con)) (local.get $co)) (i32.const 2))))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 0)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a0))
                (v128.store offset=16 (local.get $po) (local.get $a1))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 1)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a2))
                (v128.store offset=16 (local.get $po) (local.get $a3))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 2)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a4))
                (v128.store offset=16 (local.get $po) (local.get $a5))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 3)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a6))
                (v128.store offset=16 (local.get $po) (local.get $a7))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            )
            (else
            ;; four pixels' patch pointers (a short last group repeats its last pixel)
            (local.set $q0 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (local.get $g) (i32.const 2))))))
            (local.set $q1 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 1)) (local.get $last)) (i32.const 2))))))
            (local.set $q2 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 2)) (local.get $last)) (i32.const 2))))))
            (local.set $q3 (i32.add (local.get $xb) (i32.load (i32.add (local.get $table) (i32.shl (call $minu (i32.add (local.get $g) (i32.const 3)) (local.get $last)) (i32.const 2))))))
            (local.set $a0 (local.get $i0))
            (local.set $a2 (local.get $i0))
            (local.set $a4 (local.get $i0))
            (local.set $a6 (local.get $i0))
            (local.set $pw (i32.add (local.get $w) (i32.shl (local.get $co) (i32.const 2))))
            (local.set $k (i32.const 0))
            (block $kdone4 (loop $kloop4
              (br_if $kdone4 (i32.ge_u (local.get $k) (local.get $kh)))
              ;; one kernel row: krow contiguous floats of each pixel's patch
              (local.set $off (i32.mul (local.get $k) (local.get $xrowBytes)))
              (local.set $end (i32.add (local.get $off) (local.get $krowBytes)))
              (block $jdone4 (loop $jloop4
                (br_if $jdone4 (i32.ge_u (local.get $off) (local.get $end)))
                (local.set $w0 (v128.load (local.get $pw)))
                (local.set $v (v128.load32_splat (i32.add (local.get $q0) (local.get $off))))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q1) (local.get $off))))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q2) (local.get $off))))
                (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $v (v128.load32_splat (i32.add (local.get $q3) (local.get $off))))
                (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (local.get $w0))))
                (local.set $off (i32.add (local.get $off) (i32.const 4)))
                (local.set $pw (i32.add (local.get $pw) (local.get $wstep)))
                (br $jloop4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kloop4)))
            (if (local.get $relu) (then
              (local.set $a0 (f32x4.max (local.get $a0) (local.get $zero)))
              (local.set $a2 (f32x4.max (local.get $a2) (local.get $zero)))
              (local.set $a4 (f32x4.max (local.get $a4) (local.get $zero)))
              (local.set $a6 (f32x4.max (local.get $a6) (local.get $zero)))))
            (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $pb) (local.get $g)) (local.get $con)) (local.get $co)) (i32.const 2))))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 0)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a0))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 1)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a2))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 2)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a4))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            (if (i32.lt_u (i32.add (local.get $g) (i32.const 3)) (local.get $npix)) (then
                (v128.store offset=0 (local.get $po) (local.get $a6))))
            (local.set $po (i32.add (local.get $po) (local.get $ostep)))
            ))
          (local.set $g (i32.add (local.get $g) (i32.const 4)))
          (br $gloop)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bloop)))
      (local.set $co (i32.add (local.get $co) (i32.const 8)))
      (br $cloop)))
  )
)
