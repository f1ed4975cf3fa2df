// 2-D convolutions for the wasm backend by oneDNN (the library PyTorch's CPU convolutions use):
// forward (with bias and relu fused), gradient of the input, gradient of the filter; average
// pooling both ways, the gradient of max pooling, batch normalisation in training both ways. Operands are
// NHWC / HWIO float32 tensors inside the wasm heap, passed as (ArrayBuffer, byte offset): no copy.
// Primitives are cached per shape; the weights go through a reorder when the chosen
// implementation wants another layout. Built on first use by src/backend/native/addon.ts.
#include <node_api.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

namespace {

engine& eng() { static engine e(engine::kind::cpu, 0); return e; }
stream& strm() { static stream s(eng()); return s; }

// batch, in h/w/c, out h/w/c, kernel h/w, stride h/w, dilation h/w (1 = none), pad top/left/bottom/right
struct Geo { int64_t b, ih, iw, ci, oh, ow, co, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr; };
constexpr uint32_t GEO_FIELDS = 17;

std::string key(char kind, const Geo& g, int flags) {
  std::string s(1, kind);
  s += std::to_string(flags);
  const int64_t* f = &g.b;
  for (uint32_t i = 0; i < GEO_FIELDS; i++) { s += ','; s += std::to_string(f[i]); }
  return s;
}
memory::desc src(const Geo& g) { return memory::desc({g.b, g.ci, g.ih, g.iw}, dt::f32, tag::nhwc); }
memory::desc dst(const Geo& g) { return memory::desc({g.b, g.co, g.oh, g.ow}, dt::f32, tag::nhwc); }
memory::desc anyWeights(const Geo& g) { return memory::desc({g.co, g.ci, g.kh, g.kw}, dt::f32, tag::any); }
memory::desc hwio(const Geo& g) { return memory::desc({g.co, g.ci, g.kh, g.kw}, dt::f32, tag::hwio); }
memory::desc bias(const Geo& g) { return memory::desc({g.co}, dt::f32, tag::x); }

convolution_forward::desc fwdDesc(const Geo& g, prop_kind kind, bool withBias) {
  const memory::dims strides{g.sh, g.sw}, dil{g.dh - 1, g.dw - 1}, padL{g.pt, g.pl}, padR{g.pb, g.pr};
  return withBias ? convolution_forward::desc(kind, algorithm::convolution_direct, src(g), anyWeights(g), bias(g), dst(g), strides, dil, padL, padR)
                  : convolution_forward::desc(kind, algorithm::convolution_direct, src(g), anyWeights(g), dst(g), strides, dil, padL, padR);
}
// The backward primitives take the training forward as a hint.
convolution_forward::primitive_desc hint(const Geo& g) { return convolution_forward::primitive_desc(fwdDesc(g, prop_kind::forward_training, false), eng()); }

struct Fwd { convolution_forward::primitive_desc pd; convolution_forward prim; };
struct BwdData { convolution_backward_data::primitive_desc pd; convolution_backward_data prim; };
struct BwdWeights { convolution_backward_weights::primitive_desc pd; convolution_backward_weights prim; };
std::unordered_map<std::string, std::unique_ptr<Fwd>> fwds;
std::unordered_map<std::string, std::unique_ptr<BwdData>> bwdData;
std::unordered_map<std::string, std::unique_ptr<BwdWeights>> bwdWeights;

enum Flags { BIAS = 1, RELU = 2 };

Fwd& forward(const Geo& g, int flags) {
  auto& slot = fwds[key('f', g, flags)];
  if (!slot) {
    primitive_attr attr;
    if (flags & RELU) { post_ops ops; ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); attr.set_post_ops(ops); }
    auto pd = convolution_forward::primitive_desc(fwdDesc(g, prop_kind::forward_training, flags & BIAS), attr, eng());
    slot.reset(new Fwd{pd, convolution_forward(pd)});
  }
  return *slot;
}
BwdData& backwardData(const Geo& g) {
  auto& slot = bwdData[key('d', g, 0)];
  if (!slot) {
    auto d = convolution_backward_data::desc(algorithm::convolution_direct, src(g), anyWeights(g), dst(g), {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {g.pt, g.pl}, {g.pb, g.pr});
    auto pd = convolution_backward_data::primitive_desc(d, eng(), hint(g));
    slot.reset(new BwdData{pd, convolution_backward_data(pd)});
  }
  return *slot;
}
BwdWeights& backwardWeights(const Geo& g) {
  auto& slot = bwdWeights[key('w', g, 0)];
  if (!slot) {
    auto d = convolution_backward_weights::desc(algorithm::convolution_direct, src(g), anyWeights(g), dst(g), {g.sh, g.sw}, {g.dh - 1, g.dw - 1}, {g.pt, g.pl}, {g.pb, g.pr});
    auto pd = convolution_backward_weights::primitive_desc(d, eng(), hint(g));
    slot.reset(new BwdWeights{pd, convolution_backward_weights(pd)});
  }
  return *slot;
}

// Weights in HWIO at `user`, in the layout `want` (a reordered copy when they differ).
memory weightsAs(const memory::desc& want, float* user, const Geo& g) {
  memory given(hwio(g), eng(), user);
  if (want == given.get_desc()) return given;
  memory reordered(want, eng());
  reorder(given, reordered).execute(strm(), given, reordered);
  return reordered;
}

struct Args { napi_value v[12]; size_t n; };
Args args(napi_env env, napi_callback_info info) {
  Args a; a.n = 12;
  napi_get_cb_info(env, info, &a.n, a.v, nullptr, nullptr);
  return a;
}
bool readGeo(napi_env env, napi_value arr, Geo& g) {
  int64_t* f = &g.b;
  for (uint32_t i = 0; i < GEO_FIELDS; i++) {
    napi_value v;
    if (napi_get_element(env, arr, i, &v) != napi_ok || napi_get_value_int64(env, v, f + i) != napi_ok) return false;
  }
  return true;
}
// A float pointer `offset` bytes into the ArrayBuffer `heap`; null when out of range.
float* at(napi_env env, napi_value heap, napi_value offset, size_t bytes) {
  void* data; size_t length; int64_t o;
  if (napi_get_arraybuffer_info(env, heap, &data, &length) != napi_ok || napi_get_value_int64(env, offset, &o) != napi_ok) return nullptr;
  if (o < 0 || o % 4 != 0 || static_cast<size_t>(o) + bytes > length) return nullptr;
  return reinterpret_cast<float*>(static_cast<char*>(data) + o);
}
size_t bytesOf(const memory::desc& d) { return d.get_size(); }

napi_value fail(napi_env env, const std::string& message) {
  napi_throw_error(env, nullptr, ("onednn: " + message).c_str());
  return nullptr;
}

constexpr const char* OUTSIDE_HEAP = "an operand lies outside the heap";

// Runs a call's work: `body` returns null when done, else what is wrong; oneDNN's own errors
// (a shape it refuses) come back as JS errors too, named after the call.
template <class F>
napi_value guarded(napi_env env, const char* what, F body) {
  try {
    if (const char* problem = body()) return fail(env, std::string(what) + ": " + problem);
  } catch (const dnnl::error& e) {
    return fail(env, std::string(what) + ": " + e.what());
  }
  return nullptr;
}

// forward(heap, geo, x, w, bias (-1: none), relu (0/1), y)
napi_value Forward(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 7 || !readGeo(env, a.v[1], g)) return fail(env, "forward: bad arguments");
  int64_t biasOffset, relu;
  napi_get_value_int64(env, a.v[4], &biasOffset);
  napi_get_value_int64(env, a.v[5], &relu);
  return guarded(env, "forward", [&]() -> const char* {
    const int flags = (biasOffset >= 0 ? BIAS : 0) | (relu ? RELU : 0);
    Fwd& F = forward(g, flags);
    float *x = at(env, a.v[0], a.v[2], bytesOf(src(g))), *w = at(env, a.v[0], a.v[3], bytesOf(hwio(g))), *y = at(env, a.v[0], a.v[6], bytesOf(dst(g)));
    float* b = biasOffset >= 0 ? at(env, a.v[0], a.v[4], bytesOf(bias(g))) : nullptr;
    if (!x || !w || !y || (biasOffset >= 0 && !b)) return OUTSIDE_HEAP;
    memory xm(src(g), eng(), x), ym(dst(g), eng(), y);
    memory wm = weightsAs(F.pd.weights_desc(), w, g);
    std::unordered_map<int, memory> io{{DNNL_ARG_SRC, xm}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DST, ym}};
    if (b) io.emplace(DNNL_ARG_BIAS, memory(bias(g), eng(), b));
    F.prim.execute(strm(), io);
    strm().wait();
    return nullptr;
  });
}

// backwardData(heap, geo, dy, w, dx)
napi_value BackwardData(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 5 || !readGeo(env, a.v[1], g)) return fail(env, "backwardData: bad arguments");
  return guarded(env, "backwardData", [&]() -> const char* {
    BwdData& B = backwardData(g);
    float *dy = at(env, a.v[0], a.v[2], bytesOf(dst(g))), *w = at(env, a.v[0], a.v[3], bytesOf(hwio(g))), *dx = at(env, a.v[0], a.v[4], bytesOf(src(g)));
    if (!dy || !w || !dx) return OUTSIDE_HEAP;
    memory dym(dst(g), eng(), dy), dxm(src(g), eng(), dx);
    memory wm = weightsAs(B.pd.weights_desc(), w, g);
    B.prim.execute(strm(), {{DNNL_ARG_DIFF_DST, dym}, {DNNL_ARG_WEIGHTS, wm}, {DNNL_ARG_DIFF_SRC, dxm}});
    strm().wait();
    return nullptr;
  });
}

// backwardWeights(heap, geo, x, dy, dw)
napi_value BackwardWeights(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 5 || !readGeo(env, a.v[1], g)) return fail(env, "backwardWeights: bad arguments");
  return guarded(env, "backwardWeights", [&]() -> const char* {
    BwdWeights& W = backwardWeights(g);
    float *x = at(env, a.v[0], a.v[2], bytesOf(src(g))), *dy = at(env, a.v[0], a.v[3], bytesOf(dst(g))), *dw = at(env, a.v[0], a.v[4], bytesOf(hwio(g)));
    if (!x || !dy || !dw) return OUTSIDE_HEAP;
    memory xm(src(g), eng(), x), dym(dst(g), eng(), dy), user(hwio(g), eng(), dw);
    const bool direct = W.pd.diff_weights_desc() == user.get_desc();
    memory out = direct ? user : memory(W.pd.diff_weights_desc(), eng());
    W.prim.execute(strm(), {{DNNL_ARG_SRC, xm}, {DNNL_ARG_DIFF_DST, dym}, {DNNL_ARG_DIFF_WEIGHTS, out}});
    if (!direct) reorder(out, user).execute(strm(), out, user);
    strm().wait();
    return nullptr;
  });
}

// Pooling, average (TensorFlow's: padding excluded from the count) and max, forward and backward;
// the geometry is a convolution's with out channels = in channels.
memory::desc poolSrc(const Geo& g) { return memory::desc({g.b, g.ci, g.ih, g.iw}, dt::f32, tag::nhwc); }
memory::desc poolDst(const Geo& g) { return memory::desc({g.b, g.ci, g.oh, g.ow}, dt::f32, tag::nhwc); }
struct PoolFwd { pooling_forward::primitive_desc pd; pooling_forward prim; };
struct PoolBwd { pooling_backward::primitive_desc pd; pooling_backward prim; };
std::unordered_map<std::string, std::unique_ptr<PoolFwd>> poolFwds;
std::unordered_map<std::string, std::unique_ptr<PoolBwd>> poolBwds;

// `alg`: pooling_avg_exclude_padding (TensorFlow's average) or pooling_max (padding never wins).
PoolFwd& poolForward(const Geo& g, algorithm alg) {
  auto& slot = poolFwds[key('p', g, static_cast<int>(alg))];
  if (!slot) {
    auto d = pooling_forward::desc(prop_kind::forward_training, alg, poolSrc(g), poolDst(g), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl}, {g.pb, g.pr});
    auto pd = pooling_forward::primitive_desc(d, eng());
    slot.reset(new PoolFwd{pd, pooling_forward(pd)});
  }
  return *slot;
}
PoolBwd& poolBackward(const Geo& g, algorithm alg) {
  auto& slot = poolBwds[key('q', g, static_cast<int>(alg))];
  if (!slot) {
    auto d = pooling_backward::desc(alg, poolSrc(g), poolDst(g), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl}, {g.pb, g.pr});
    auto pd = pooling_backward::primitive_desc(d, eng(), poolForward(g, alg).pd);
    slot.reset(new PoolBwd{pd, pooling_backward(pd)});
  }
  return *slot;
}

// avgPool(heap, geo, x, y)
napi_value AvgPool(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 4 || !readGeo(env, a.v[1], g)) return fail(env, "avgPool: bad arguments");
  return guarded(env, "avgPool", [&]() -> const char* {
    PoolFwd& F = poolForward(g, algorithm::pooling_avg_exclude_padding);
    float *x = at(env, a.v[0], a.v[2], bytesOf(poolSrc(g))), *y = at(env, a.v[0], a.v[3], bytesOf(poolDst(g)));
    if (!x || !y) return OUTSIDE_HEAP;
    F.prim.execute(strm(), {{DNNL_ARG_SRC, memory(poolSrc(g), eng(), x)}, {DNNL_ARG_DST, memory(poolDst(g), eng(), y)}});
    strm().wait();
    return nullptr;
  });
}

// avgPoolGrad(heap, geo, dy, dx)
napi_value AvgPoolGrad(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 4 || !readGeo(env, a.v[1], g)) return fail(env, "avgPoolGrad: bad arguments");
  return guarded(env, "avgPoolGrad", [&]() -> const char* {
    PoolBwd& B = poolBackward(g, algorithm::pooling_avg_exclude_padding);
    float *dy = at(env, a.v[0], a.v[2], bytesOf(poolDst(g))), *dx = at(env, a.v[0], a.v[3], bytesOf(poolSrc(g)));
    if (!dy || !dx) return OUTSIDE_HEAP;
    B.prim.execute(strm(), {{DNNL_ARG_DIFF_DST, memory(poolDst(g), eng(), dy)}, {DNNL_ARG_DIFF_SRC, memory(poolSrc(g), eng(), dx)}});
    strm().wait();
    return nullptr;
  });
}

// maxPoolGrad(heap, geo, x, dy, dx): runs the training forward again for the argmax workspace,
// as tfjs passes MaxPoolGrad only the input and dy.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 5 || !readGeo(env, a.v[1], g)) return fail(env, "maxPoolGrad: bad arguments");
  return guarded(env, "maxPoolGrad", [&]() -> const char* {
    PoolFwd& F = poolForward(g, algorithm::pooling_max);
    PoolBwd& B = poolBackward(g, algorithm::pooling_max);
    float *x = at(env, a.v[0], a.v[2], bytesOf(poolSrc(g))), *dy = at(env, a.v[0], a.v[3], bytesOf(poolDst(g))), *dx = at(env, a.v[0], a.v[4], bytesOf(poolSrc(g)));
    if (!x || !dy || !dx) return OUTSIDE_HEAP;
    memory y(poolDst(g), eng()), workspace(F.pd.workspace_desc(), eng());
    F.prim.execute(strm(), {{DNNL_ARG_SRC, memory(poolSrc(g), eng(), x)}, {DNNL_ARG_DST, y}, {DNNL_ARG_WORKSPACE, workspace}});
    B.prim.execute(strm(), {{DNNL_ARG_DIFF_DST, memory(poolDst(g), eng(), dy)}, {DNNL_ARG_DIFF_SRC, memory(poolSrc(g), eng(), dx)}, {DNNL_ARG_WORKSPACE, workspace}});
    strm().wait();
    return nullptr;
  });
}

// Batch normalisation in training: statistics over every axis but the last (channels), with
// scale and shift. Shapes are (n, h, w, c) in NHWC; any rank folds into that.
struct Bn { int64_t n, h, w, c; float eps; };
memory::desc bnData(const Bn& b) { return memory::desc({b.n, b.c, b.h, b.w}, dt::f32, tag::nhwc); }
memory::desc bnChannels(const Bn& b) { return memory::desc({b.c}, dt::f32, tag::x); }
const auto BN_FLAGS = normalization_flags::use_scale | normalization_flags::use_shift;
std::string bnKey(char kind, const Bn& b) {
  return std::string(1, kind) + std::to_string(b.n) + ',' + std::to_string(b.h) + ',' + std::to_string(b.w) + ',' + std::to_string(b.c) + ',' + std::to_string(b.eps);
}
struct BnFwd { batch_normalization_forward::primitive_desc pd; batch_normalization_forward prim; };
struct BnBwd { batch_normalization_backward::primitive_desc pd; batch_normalization_backward prim; };
std::unordered_map<std::string, std::unique_ptr<BnFwd>> bnFwds;
std::unordered_map<std::string, std::unique_ptr<BnBwd>> bnBwds;

BnFwd& bnForward(const Bn& b) {
  auto& slot = bnFwds[bnKey('f', b)];
  if (!slot) {
    auto pd = batch_normalization_forward::primitive_desc({prop_kind::forward_training, bnData(b), b.eps, BN_FLAGS}, eng());
    slot.reset(new BnFwd{pd, batch_normalization_forward(pd)});
  }
  return *slot;
}
BnBwd& bnBackward(const Bn& b) {
  auto& slot = bnBwds[bnKey('b', b)];
  if (!slot) {
    auto pd = batch_normalization_backward::primitive_desc({prop_kind::backward, bnData(b), bnData(b), b.eps, BN_FLAGS}, eng(), bnForward(b).pd);
    slot.reset(new BnBwd{pd, batch_normalization_backward(pd)});
  }
  return *slot;
}
bool readBn(napi_env env, napi_value shape, napi_value eps, Bn& b) {
  int64_t* f = &b.n;
  for (uint32_t i = 0; i < 4; i++) {
    napi_value v;
    if (napi_get_element(env, shape, i, &v) != napi_ok || napi_get_value_int64(env, v, f + i) != napi_ok || f[i] < 1) return false;
  }
  double e;
  if (napi_get_value_double(env, eps, &e) != napi_ok || !(e > 0)) return false;
  b.eps = static_cast<float>(e);
  return true;
}

// batchNormForward(heap, [n, h, w, c], epsilon, x, scale, shift, y, mean, variance)
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Bn b;
  if (a.n < 9 || !readBn(env, a.v[1], a.v[2], b)) return fail(env, "batchNormForward: bad arguments");
  return guarded(env, "batchNormForward", [&]() -> const char* {
    BnFwd& F = bnForward(b);
    const size_t data = bytesOf(bnData(b)), ch = bytesOf(bnChannels(b));
    float *x = at(env, a.v[0], a.v[3], data), *scale = at(env, a.v[0], a.v[4], ch), *shift = at(env, a.v[0], a.v[5], ch);
    float *y = at(env, a.v[0], a.v[6], data), *mean = at(env, a.v[0], a.v[7], ch), *var = at(env, a.v[0], a.v[8], ch);
    if (!x || !scale || !shift || !y || !mean || !var) return OUTSIDE_HEAP;
    F.prim.execute(strm(), {{DNNL_ARG_SRC, memory(bnData(b), eng(), x)}, {DNNL_ARG_DST, memory(bnData(b), eng(), y)},
                            {DNNL_ARG_SCALE, memory(bnChannels(b), eng(), scale)}, {DNNL_ARG_SHIFT, memory(bnChannels(b), eng(), shift)},
                            {DNNL_ARG_MEAN, memory(bnChannels(b), eng(), mean)}, {DNNL_ARG_VARIANCE, memory(bnChannels(b), eng(), var)}});
    strm().wait();
    return nullptr;
  });
}

// batchNormBackward(heap, [n, h, w, c], epsilon, x, mean, variance, dy, scale, shift, dx, dscale, dshift)
// (oneDNN asks for the shift too, though the gradient does not depend on it)
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Bn b;
  if (a.n < 12 || !readBn(env, a.v[1], a.v[2], b)) return fail(env, "batchNormBackward: bad arguments");
  return guarded(env, "batchNormBackward", [&]() -> const char* {
    BnBwd& B = bnBackward(b);
    const size_t data = bytesOf(bnData(b)), ch = bytesOf(bnChannels(b));
    float *x = at(env, a.v[0], a.v[3], data), *mean = at(env, a.v[0], a.v[4], ch), *var = at(env, a.v[0], a.v[5], ch);
    float *dy = at(env, a.v[0], a.v[6], data), *scale = at(env, a.v[0], a.v[7], ch), *shift = at(env, a.v[0], a.v[8], ch);
    float *dx = at(env, a.v[0], a.v[9], data), *dscale = at(env, a.v[0], a.v[10], ch), *dshift = at(env, a.v[0], a.v[11], ch);
    if (!x || !mean || !var || !dy || !scale || !shift || !dx || !dscale || !dshift) return OUTSIDE_HEAP;
    B.prim.execute(strm(), {{DNNL_ARG_SRC, memory(bnData(b), eng(), x)}, {DNNL_ARG_MEAN, memory(bnChannels(b), eng(), mean)},
                            {DNNL_ARG_VARIANCE, memory(bnChannels(b), eng(), var)}, {DNNL_ARG_DIFF_DST, memory(bnData(b), eng(), dy)},
                            {DNNL_ARG_SCALE, memory(bnChannels(b), eng(), scale)}, {DNNL_ARG_SHIFT, memory(bnChannels(b), eng(), shift)},
                            {DNNL_ARG_DIFF_SRC, memory(bnData(b), eng(), dx)},
                            {DNNL_ARG_DIFF_SCALE, memory(bnChannels(b), eng(), dscale)}, {DNNL_ARG_DIFF_SHIFT, memory(bnChannels(b), eng(), dshift)}});
    strm().wait();
    return nullptr;
  });
}

// reluGrad(heap, count, dy, y, dz): dz = dy where y > 0, else 0 (the gradient of a fused relu).
napi_value ReluGrad(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  int64_t n;
  if (a.n < 5 || napi_get_value_int64(env, a.v[1], &n) != napi_ok || n < 0) return fail(env, "reluGrad: bad arguments");
  const size_t bytes = static_cast<size_t>(n) * sizeof(float);
  float *dy = at(env, a.v[0], a.v[2], bytes), *y = at(env, a.v[0], a.v[3], bytes), *dz = at(env, a.v[0], a.v[4], bytes);
  if (!dy || !y || !dz) return fail(env, std::string("reluGrad: ") + OUTSIDE_HEAP);
  for (int64_t i = 0; i < n; i++) dz[i] = y[i] > 0.f ? dy[i] : 0.f;
  return nullptr;
}

// implementation(geo): the forward implementation oneDNN picks for a shape (e.g. brgconv:avx512_core).
napi_value Implementation(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  Geo g;
  if (a.n < 1 || !readGeo(env, a.v[0], g)) return fail(env, "implementation: bad arguments");
  try {
    const std::string s = forward(g, 0).pd.impl_info_str();
    napi_value r;
    napi_create_string_utf8(env, s.c_str(), s.size(), &r);
    return r;
  } catch (const dnnl::error& e) {
    return fail(env, std::string("implementation: ") + e.what());
  }
}

// setThreads(n): the OpenMP threads each call may use (a CPU worker runs one trainer per core: 1).
napi_value SetThreads(napi_env env, napi_callback_info info) {
  Args a = args(env, info);
  int32_t n;
  if (a.n < 1 || napi_get_value_int32(env, a.v[0], &n) != napi_ok || n < 1) return fail(env, "setThreads: expected a positive integer");
  omp_set_num_threads(n);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor d[] = {
    {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"forward", nullptr, Forward, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"backwardData", nullptr, BackwardData, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"backwardWeights", nullptr, BackwardWeights, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"avgPool", nullptr, AvgPool, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"avgPoolGrad", nullptr, AvgPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"reluGrad", nullptr, ReluGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"implementation", nullptr, Implementation, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(d) / sizeof(d[0]), d);
  return exports;
}

}  // namespace

NAPI_MODULE(onednn, Init)
