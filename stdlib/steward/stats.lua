-- steward.stats: the statistics drift, adoption and measurement need.
-- Every function takes plain arrays of numbers and returns nil where the
-- statistic is undefined (an empty sample), never NaN.
local M = {}

function M.sum(xs)
  local s = 0
  for i = 1, #xs do s = s + xs[i] end
  return s
end

function M.mean(xs)
  if #xs == 0 then return nil end
  return M.sum(xs) / #xs
end

local function sorted_copy(xs)
  local c = {}
  for i = 1, #xs do c[i] = xs[i] end
  table.sort(c)
  return c
end

-- The q-quantile (0 <= q <= 1) by linear interpolation between order
-- statistics (the "type 7" definition of R and NumPy).
function M.quantile(xs, q)
  if #xs == 0 then return nil end
  local c = sorted_copy(xs)
  local h = (#c - 1) * q + 1
  local lo = math.floor(h)
  local hi = math.min(lo + 1, #c)
  return c[lo] + (h - lo) * (c[hi] - c[lo])
end

function M.median(xs)
  return M.quantile(xs, 0.5)
end

-- Sample standard deviation (n - 1); nil for fewer than two values.
function M.stddev(xs)
  local n = #xs
  if n < 2 then return nil end
  local m = M.mean(xs)
  local ss = 0
  for i = 1, n do ss = ss + (xs[i] - m) ^ 2 end
  return math.sqrt(ss / (n - 1))
end

-- Least-squares line through (xs[i], ys[i]): returns slope, intercept, or
-- nil when there are fewer than two points or all xs are equal.
function M.linear_fit(xs, ys)
  local n = #xs
  if n < 2 or #ys ~= n then return nil end
  local mx, my = M.mean(xs), M.mean(ys)
  local sxx, sxy = 0, 0
  for i = 1, n do
    sxx = sxx + (xs[i] - mx) ^ 2
    sxy = sxy + (xs[i] - mx) * (ys[i] - my)
  end
  if sxx == 0 then return nil end
  local slope = sxy / sxx
  return slope, my - slope * mx
end

function M.slope(xs, ys)
  return (M.linear_fit(xs, ys))
end

-- Population Stability Index of two histograms over the same bins (counts
-- or shares): sum of (a - e) * ln(a / e) over bins, with shares floored at
-- `epsilon` (default 1e-4) so an empty bin does not make it infinite.
function M.psi(expected, actual, epsilon)
  if #expected == 0 or #expected ~= #actual then return nil end
  epsilon = epsilon or 1e-4
  local te, ta = M.sum(expected), M.sum(actual)
  if te <= 0 or ta <= 0 then return nil end
  local psi = 0
  for i = 1, #expected do
    local e = math.max(expected[i] / te, epsilon)
    local a = math.max(actual[i] / ta, epsilon)
    psi = psi + (a - e) * math.log(a / e)
  end
  return psi
end

-- Two-sample Kolmogorov-Smirnov statistic: the largest distance between
-- the two empirical distribution functions.
function M.ks(xs, ys)
  if #xs == 0 or #ys == 0 then return nil end
  local a, b = sorted_copy(xs), sorted_copy(ys)
  local i, j, d = 1, 1, 0
  while i <= #a and j <= #b do
    local x = math.min(a[i], b[j])
    while i <= #a and a[i] <= x do i = i + 1 end
    while j <= #b and b[j] <= x do j = j + 1 end
    d = math.max(d, math.abs((i - 1) / #a - (j - 1) / #b))
  end
  return d
end

return M
