-- Tests of steward.stats: plain arrays in, nil (never NaN) where a
-- statistic is undefined.
local t = require "steward.test"
local stats = require "steward.stats"

-- Asserts |actual - expected| <= tol (default 1e-9).
local function near(actual, expected, label, tol)
  tol = tol or 1e-9
  if type(actual) ~= "number" or math.abs(actual - expected) > tol then
    error(string.format("%s: got %s, expected %.12g", label,
                        tostring(actual), expected), 2)
  end
end

t.case("sum", function()
  t.eq(stats.sum({}), 0, "empty")
  t.eq(stats.sum({ 1, 2, 3.5 }), 6.5, "three")
end)

t.case("mean", function()
  t.eq(stats.mean({ 1, 2, 3, 4 }), 2.5, "1..4")
  t.eq(stats.mean({ 7 }), 7, "one value")
  t.eq(stats.mean({ -1, 1 }), 0, "signs cancel")
  t.eq(stats.mean({}), nil, "empty")
end)

t.case("median: odd, even, unsorted input", function()
  t.eq(stats.median({ 3, 1, 2 }), 2, "odd")
  t.eq(stats.median({ 4, 1, 3, 2 }), 2.5, "even: the mean of the middle two")
  t.eq(stats.median({ 5 }), 5, "one value")
  t.eq(stats.median({}), nil, "empty")
end)

t.case("median does not reorder its input", function()
  local xs = { 3, 1, 2 }
  stats.median(xs)
  t.eq(xs, { 3, 1, 2 }, "input")
end)

-- Type 7 (R's default, NumPy's linear): h = (n - 1) q + 1.
t.case("quantile interpolates between order statistics", function()
  local xs = { 5, 1, 4, 2, 3 }
  t.eq(stats.quantile(xs, 0), 1, "q=0 is the minimum")
  t.eq(stats.quantile(xs, 1), 5, "q=1 is the maximum")
  t.eq(stats.quantile(xs, 0.25), 2, "q=0.25 on an order statistic")
  near(stats.quantile(xs, 0.1), 1.4, "q=0.1 between the first two")
  near(stats.quantile({ 10, 20 }, 0.9), 19, "q=0.9 of two values")
  t.eq(stats.quantile({ 42 }, 0.3), 42, "one value")
  t.eq(stats.quantile({}, 0.5), nil, "empty")
end)

t.case("stddev is the sample standard deviation", function()
  near(stats.stddev({ 2, 4, 4, 4, 5, 5, 7, 9 }), 2.138089935299395,
       "n - 1 in the denominator (the population value would be 2)")
  t.eq(stats.stddev({ 5, 5 }), 0, "no spread")
  near(stats.stddev({ 1, 3 }), math.sqrt(2), "two values")
  t.eq(stats.stddev({ 1 }), nil, "one value")
  t.eq(stats.stddev({}), nil, "empty")
end)

t.case("linear_fit: slope and intercept of the least-squares line", function()
  local slope, intercept = stats.linear_fit({ 0, 1, 2 }, { 1, 3, 5 })
  t.eq(slope, 2, "slope of an exact line")
  t.eq(intercept, 1, "intercept of an exact line")
  -- Noisy points (0,1) (1,2) (2,2) (3,3): y = 0.6 x + 1.1.
  slope, intercept = stats.linear_fit({ 0, 1, 2, 3 }, { 1, 2, 2, 3 })
  near(slope, 0.6, "noisy slope")
  near(intercept, 1.1, "noisy intercept")
  slope = stats.linear_fit({ 3, 1, 2 }, { 7, 3, 5 })
  t.eq(slope, 2, "points in any order")
  slope, intercept = stats.linear_fit({ 0, 10 }, { 4, 4 })
  t.eq(slope, 0, "flat line")
  t.eq(intercept, 4, "flat intercept")
end)

t.case("linear_fit: large x values (epoch seconds) stay accurate", function()
  local day, t0 = 86400, 1795651200
  local slope, intercept = stats.linear_fit(
    { t0 - 60 * day, t0 - 30 * day, t0 }, { 0.22, 0.19, 0.16 })
  near(slope * day, -0.001, "slope per day", 1e-12)
  near(intercept + slope * t0, 0.16, "value at t0", 1e-9)
end)

t.case("linear_fit: undefined cases are nil", function()
  t.eq(stats.linear_fit({ 1 }, { 1 }), nil, "one point")
  t.eq(stats.linear_fit({}, {}), nil, "no points")
  t.eq(stats.linear_fit({ 2, 2, 2 }, { 1, 2, 3 }), nil, "all xs equal")
  t.eq(stats.linear_fit({ 1, 2, 3 }, { 1, 2 }), nil, "lengths differ")
end)

t.case("slope returns the slope alone", function()
  t.eq(select("#", stats.slope({ 0, 1 }, { 0, 3 })), 1, "one value")
  t.eq(stats.slope({ 0, 1 }, { 0, 3 }), 3, "slope")
  t.eq(stats.slope({ 1, 1 }, { 0, 3 }), nil, "undefined")
end)

t.case("psi: identical histograms are 0", function()
  t.eq(stats.psi({ 10, 20, 30 }, { 10, 20, 30 }), 0, "same counts")
  near(stats.psi({ 1, 2, 3 }, { 10, 20, 30 }), 0, "same shares, other totals")
end)

t.case("psi: sum of (a - e) ln(a / e) over shares", function()
  near(stats.psi({ 50, 50 }, { 90, 10 }), 0.8788898309344878, "two bins")
  near(stats.psi({ 0.5, 0.5 }, { 0.9, 0.1 }), 0.8788898309344878,
       "shares give the same as counts")
  near(stats.psi({ 25, 25, 25, 25 }, { 10, 20, 30, 40 }),
       0.22821740957339182, "four bins")
  near(stats.psi({ 90, 10 }, { 50, 50 }), stats.psi({ 50, 50 }, { 90, 10 }),
       "symmetric")
end)

t.case("psi: empty bins are floored, not infinite", function()
  near(stats.psi({ 1, 0 }, { 0, 1 }), 18.41883867587797, "epsilon 1e-4", 1e-9)
  local coarse = stats.psi({ 1, 0 }, { 0, 1 }, 0.01)
  near(coarse, 2 * 0.99 * math.log(100), "epsilon 0.01")
end)

t.case("psi: undefined cases are nil", function()
  t.eq(stats.psi({}, {}), nil, "no bins")
  t.eq(stats.psi({ 1, 2 }, { 1, 2, 3 }), nil, "bin counts differ")
  t.eq(stats.psi({ 0, 0 }, { 1, 2 }), nil, "empty expected histogram")
  t.eq(stats.psi({ 1, 2 }, { 0, 0 }), nil, "empty actual histogram")
end)

t.case("ks: the largest distance between the two ECDFs", function()
  t.eq(stats.ks({ 1, 2, 3 }, { 1, 2, 3 }), 0, "identical samples")
  t.eq(stats.ks({ 1, 2, 3 }, { 4, 5, 6 }), 1, "disjoint samples")
  t.eq(stats.ks({ 4, 5, 6 }, { 1, 2, 3 }), 1, "disjoint, either order")
  t.eq(stats.ks({ 1, 2, 3, 4 }, { 3, 4, 5, 6 }), 0.5, "half overlap")
  t.eq(stats.ks({ 3, 1, 4, 2 }, { 6, 4, 5, 3 }), 0.5, "unsorted input")
  t.eq(stats.ks({ 1, 2, 2, 3 }, { 2, 2, 2, 2 }), 0.25, "ties")
  near(stats.ks({ 1, 2, 3 }, { 2.5 }), 2 / 3, "samples of different sizes")
end)

t.case("ks: an empty sample is nil", function()
  t.eq(stats.ks({}, { 1 }), nil, "first empty")
  t.eq(stats.ks({ 1 }, {}), nil, "second empty")
end)
