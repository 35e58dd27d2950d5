/*
 * lpattern.c - budgeted Lua 5.4 pattern matching (see lpattern.h).
 *
 * Written from the Lua 5.4 reference manual (sections 6.4 and 6.4.1); the
 * observable behaviour, including which malformed patterns raise which
 * error and when, is checked against stock Lua by tests/unit/test_lpattern.c.
 *
 * The matcher interprets the pattern text directly instead of compiling it:
 * stock Lua reports a malformed pattern only when matching reaches the bad
 * item (string.find("b", "a[") returns nil), and a compiler would report it
 * up front. For the same reason the exploration order (greedy longest
 * first, lazy shortest first) and the nesting accounting behind "pattern
 * too complex" follow what the manual and stock Lua observably do.
 *
 * Every unit of work charges steps to a countdown in the match state; when
 * it runs out the host's tick is called, which may longjmp out. All state
 * lives on the C stack or in Lua values, so nothing leaks when it does.
 */
#include "lpattern.h"

#include <lauxlib.h>

#include "luacompat.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#define PM_ESC '%'
#define PM_MAXCAP 32    /* stock LUA_MAXCAPTURES: "too many captures" beyond */
#define PM_MAXDEPTH 200 /* stock nesting limit: "pattern too complex" beyond */
#define CAP_OPEN (-1)   /* capture started, not yet closed */
#define CAP_POS (-2)    /* position capture "()" */

typedef unsigned char uchar;

/* Shared by the installed closures as their first upvalue. */
typedef struct {
    st_pattern_tick_fn tick;
    void *ud;
} pm_hook;

typedef struct {
    const char *at;
    ptrdiff_t len; /* >= 0 when closed, else CAP_OPEN or CAP_POS */
} pm_cap;

typedef struct {
    lua_State *L;
    const pm_hook *hook;
    const char *s0, *s_end; /* subject */
    const char *p_end;      /* end of the pattern text */
    int depth_left;         /* nested pm_match calls still allowed */
    int ncap;
    long credit;            /* steps left before the next tick */
    pm_cap cap[PM_MAXCAP];
} pm_state;

/* ---- step budget ------------------------------------------------------ */

/* Out of line so the hot path in pm_charge stays a decrement and a test.
 * A large charge owes several ticks; the host sees one per 1024 steps. */
static void pm_tick(pm_state *st) {
    while (st->credit <= 0) {
        st->credit += ST_PATTERN_TICK;
        if (st->hook->tick)
            st->hook->tick(st->L, st->hook->ud);
    }
}

static inline void pm_charge(pm_state *st, long steps) {
    st->credit -= steps;
    if (st->credit <= 0)
        pm_tick(st);
}

static void pm_init(pm_state *st, lua_State *L, const pm_hook *hook,
                    const char *s, size_t ls, const char *p, size_t lp) {
    st->L = L;
    st->hook = hook;
    st->s0 = s;
    st->s_end = s + ls;
    st->p_end = p + lp;
    st->credit = ST_PATTERN_TICK;
    st->ncap = 0;
    st->depth_left = PM_MAXDEPTH;
}

/* Each attempt at a new subject position starts with no captures. */
static void pm_reset(pm_state *st) {
    st->ncap = 0;
    st->depth_left = PM_MAXDEPTH;
}

/* ---- single items ----------------------------------------------------- */

/* Does byte c belong to class letter cl (%a, %D, ...)? A non-class letter
 * after '%' stands for itself, so "%." is a literal dot. */
static int pm_class_has(int cl, int c) {
    int in;
    switch (tolower(cl)) {
    case 'a': in = isalpha(c); break;
    case 'c': in = iscntrl(c); break;
    case 'd': in = isdigit(c); break;
    case 'g': in = isgraph(c); break;
    case 'l': in = islower(c); break;
    case 'p': in = ispunct(c); break;
    case 's': in = isspace(c); break;
    case 'u': in = isupper(c); break;
    case 'w': in = isalnum(c); break;
    case 'x': in = isxdigit(c); break;
    case 'z': in = c == 0; break; /* deprecated in 5.2, still accepted */
    default: return cl == c;
    }
    return isupper(cl) ? !in : in != 0;
}

/* Is c in the set whose '[' is at p and closing ']' at close? The item
 * scanner guarantees at least one member byte between them. */
static int pm_set_has(const char *p, const char *close, int c) {
    int hit_means = 1;
    p++;
    if (*p == '^') {
        hit_means = 0;
        p++;
    }
    for (; p < close; p++) {
        if (*p == PM_ESC) {
            p++;
            if (pm_class_has((uchar)*p, c))
                return hit_means;
        } else if (p[1] == '-' && p + 2 < close) {
            /* a '-' first or last in the set is a literal, hence p + 2 */
            if ((uchar)p[0] <= c && c <= (uchar)p[2])
                return hit_means;
            p += 2;
        } else if ((uchar)*p == c) {
            return hit_means;
        }
    }
    return !hit_means;
}

/* Returns the end of the item starting at p: one byte, "%x", or a whole
 * "[...]" set. A ']' right after '[' or "[^" is a member, not the end. */
static const char *pm_item_end(pm_state *st, const char *p) {
    const char *start = p;
    char c = *p++;
    if (c == PM_ESC) {
        if (p >= st->p_end)
            luaL_error(st->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c != '[')
        return p;
    if (p < st->p_end && *p == '^')
        p++;
    do {
        if (p >= st->p_end)
            luaL_error(st->L, "malformed pattern (missing ']')");
        c = *p++;
        if (c == PM_ESC && p < st->p_end)
            p++; /* an escaped byte, even ']', is a member */
    } while (p >= st->p_end || *p != ']');
    /* sets are rescanned at every use; charge long ones by size */
    pm_charge(st, (long)((p - start) / 32));
    return p + 1;
}

/* Does the item [p, ep) match the byte at s? Never past the subject. */
static int pm_single(pm_state *st, const char *s, const char *p,
                     const char *ep) {
    pm_charge(st, 1);
    if (s >= st->s_end)
        return 0;
    int c = (uchar)*s;
    switch (*p) {
    case '.': return 1;
    case PM_ESC: return pm_class_has((uchar)p[1], c);
    case '[':
        pm_charge(st, (long)((ep - p) / 32));
        return pm_set_has(p, ep - 1, c);
    default: return (uchar)*p == c;
    }
}

/* ---- the backtracking core -------------------------------------------- */

static const char *pm_seq(pm_state *st, const char *s, const char *p);

/* Matches the rest of the pattern from p against the subject at s, one
 * nesting level deeper. Returns the match end or NULL. The level limit
 * keeps the C stack bounded and equals stock Lua's, so the same patterns
 * are "too complex". */
static const char *pm_match(pm_state *st, const char *s, const char *p) {
    if (st->depth_left == 0)
        luaL_error(st->L, "pattern too complex");
    st->depth_left--;
    s = pm_seq(st, s, p);
    st->depth_left++;
    return s;
}

/* `item*` (from = s) or `item+` (from = s + 1, first byte already
 * matched): take as many bytes as match, then give back one at a time. */
static const char *pm_greedy(pm_state *st, const char *from, const char *p,
                             const char *ep) {
    const char *last = from;
    while (pm_single(st, last, p, ep))
        last++;
    for (;;) {
        const char *r = pm_match(st, last, ep + 1);
        if (r || last == from)
            return r;
        last--;
    }
}

/* `item-`: try the rest first, eat one more byte only when it fails. */
static const char *pm_lazy(pm_state *st, const char *s, const char *p,
                           const char *ep) {
    for (;;) {
        const char *r = pm_match(st, s, ep + 1);
        if (r)
            return r;
        if (!pm_single(st, s, p, ep))
            return NULL;
        s++;
    }
}

/* "(" or "()" with p just past the '('. The capture is dropped again if
 * the rest fails, so a retry from another position sees a clean list. */
static const char *pm_open(pm_state *st, const char *s, const char *p) {
    ptrdiff_t kind = CAP_OPEN;
    if (p < st->p_end && *p == ')') {
        kind = CAP_POS;
        p++;
    }
    if (st->ncap >= PM_MAXCAP)
        luaL_error(st->L, "too many captures");
    st->cap[st->ncap].at = s;
    st->cap[st->ncap].len = kind;
    st->ncap++;
    const char *r = pm_match(st, s, p);
    if (!r)
        st->ncap--;
    return r;
}

/* ")" closes the innermost open capture; reopened if the rest fails. */
static const char *pm_close(pm_state *st, const char *s, const char *p) {
    int i = st->ncap - 1;
    while (i >= 0 && st->cap[i].len != CAP_OPEN)
        i--;
    if (i < 0)
        luaL_error(st->L, "invalid pattern capture");
    st->cap[i].len = s - st->cap[i].at;
    const char *r = pm_match(st, s, p);
    if (!r)
        st->cap[i].len = CAP_OPEN;
    return r;
}

/* "%bxy" with p at x: a balanced run from x to its matching y. The scan
 * is linear in the subject, so it pays per byte. */
static const char *pm_balance(pm_state *st, const char *s, const char *p) {
    if (st->p_end - p < 2)
        luaL_error(st->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= st->s_end || *s != p[0])
        return NULL;
    size_t open = 1;
    while (++s < st->s_end) {
        pm_charge(st, 1);
        if (*s == p[1]) { /* tested first: "%bxx" closes on the next x */
            if (--open == 0)
                return s + 1;
        } else if (*s == p[0]) {
            open++;
        }
    }
    return NULL;
}

/* "%f[set]" with p just past the 'f': matches the empty string where the
 * previous byte is not in the set and the next one is. Both subject edges
 * count as byte 0. Returns the pattern position after the set or NULL. */
static const char *pm_frontier(pm_state *st, const char *s, const char *p) {
    if (p >= st->p_end || *p != '[')
        luaL_error(st->L, "missing '[' after '%%f' in pattern");
    const char *ep = pm_item_end(st, p);
    int prev = s == st->s0 ? 0 : (uchar)s[-1];
    int next = s < st->s_end ? (uchar)*s : 0;
    if (!pm_set_has(p, ep - 1, prev) && pm_set_has(p, ep - 1, next))
        return ep;
    return NULL;
}

/* "%1".."%9": the text of a closed capture again. A position capture has
 * no text and never matches. */
static const char *pm_backref(pm_state *st, const char *s, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= st->ncap || st->cap[i].len == CAP_OPEN)
        luaL_error(st->L, "invalid capture index %%%d", i + 1);
    ptrdiff_t len = st->cap[i].len;
    if (len < 0 || st->s_end - s < len)
        return NULL;
    pm_charge(st, (long)(len / 64));
    return memcmp(st->cap[i].at, s, (size_t)len) == 0 ? s + len : NULL;
}

/* One plain item at p, possibly quantified. Returns 1 with *s and *p
 * advanced when matching goes on in the same sequence, or 0 with the
 * final result in *out. */
static int pm_item(pm_state *st, const char **s, const char **p,
                   const char **out) {
    const char *ep = pm_item_end(st, *p);
    int hit = pm_single(st, *s, *p, ep);
    int q = ep < st->p_end ? *ep : 0;
    if (q == '?') {
        if (hit && (*out = pm_match(st, *s + 1, ep + 1)) != NULL)
            return 0;
        *p = ep + 1; /* skip the optional item */
        return 1;
    }
    if (!hit) {
        *out = NULL;
        if (q != '*' && q != '-')
            return 0;
        *p = ep + 1; /* zero repetitions */
        return 1;
    }
    switch (q) {
    case '*': *out = pm_greedy(st, *s, *p, ep); return 0;
    case '+': *out = pm_greedy(st, *s + 1, *p, ep); return 0;
    case '-': *out = pm_lazy(st, *s, *p, ep); return 0;
    default: (*s)++; *p = ep; return 1;
    }
}

/* Walks the pattern from p at subject position s. Items that cannot
 * backtrack continue the loop; anything with alternatives recurses. */
static const char *pm_seq(pm_state *st, const char *s, const char *p) {
    for (;;) {
        pm_charge(st, 1);
        if (p == st->p_end)
            return s;
        int next = p + 1 < st->p_end ? (uchar)p[1] : 0;
        const char *out;
        switch (*p) {
        case '(': return pm_open(st, s, p + 1);
        case ')': return pm_close(st, s, p + 1);
        case '$':
            if (p + 1 == st->p_end) /* only special at the very end */
                return s == st->s_end ? s : NULL;
            break;
        case PM_ESC:
            if (next == 'b') {
                if ((s = pm_balance(st, s, p + 2)) == NULL)
                    return NULL;
                p += 4;
                continue;
            }
            if (next == 'f') {
                if ((p = pm_frontier(st, s, p + 2)) == NULL)
                    return NULL;
                continue;
            }
            if (isdigit(next)) {
                if ((s = pm_backref(st, s, next)) == NULL)
                    return NULL;
                p += 2;
                continue;
            }
            break;
        default: break;
        }
        if (!pm_item(st, &s, &p, &out))
            return out;
    }
}

/* ---- results ---------------------------------------------------------- */

/* Capture i of the match s..e. Returns its length with *at set, or
 * CAP_POS after pushing the position. A match without captures has the
 * whole match as capture 0 (index 0 only). */
static ptrdiff_t pm_cap_get(pm_state *st, int i, const char *s,
                            const char *e, const char **at) {
    if (i >= st->ncap) {
        if (i != 0)
            luaL_error(st->L, "invalid capture index %%%d", i + 1);
        *at = s;
        return e - s;
    }
    ptrdiff_t len = st->cap[i].len;
    *at = st->cap[i].at;
    if (len == CAP_OPEN)
        luaL_error(st->L, "unfinished capture");
    if (len == CAP_POS)
        lua_pushinteger(st->L, (lua_Integer)(*at - st->s0) + 1);
    return len;
}

static void pm_push_cap(pm_state *st, int i, const char *s, const char *e) {
    const char *at;
    ptrdiff_t len = pm_cap_get(st, i, s, e, &at);
    if (len != CAP_POS)
        lua_pushlstring(st->L, at, (size_t)len);
}

/* Pushes all captures; with none, the whole match unless s is NULL (find
 * reports positions instead). Returns how many values were pushed. */
static int pm_push_caps(pm_state *st, const char *s, const char *e) {
    int n = (st->ncap == 0 && s) ? 1 : st->ncap;
    luaL_checkstack(st->L, n, "too many captures");
    for (int i = 0; i < n; i++)
        pm_push_cap(st, i, s, e);
    return n;
}

/* ---- find and match --------------------------------------------------- */

/* 1-based, possibly negative `init` to a 0-based offset (may exceed len;
 * callers check). Out-of-range negatives clip to the start. */
static size_t pm_start(lua_Integer pos, size_t len) {
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return len + (size_t)pos;
}

/* Does the pattern use any magic character? If not, find searches for it
 * literally, which also means e.g. find(s, ")") is not an error. */
static int pm_has_magic(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?':
        case '.': case '(': case '[': case '%': case '-':
            return 1;
        default: break;
        }
    }
    return 0;
}

/* Literal search for find's plain mode. Each candidate pays for the
 * comparison it makes, so a long needle over a long haystack still ticks. */
static const char *pm_memfind(pm_state *st, const char *h, size_t hl,
                              const char *n, size_t nl) {
    if (nl == 0)
        return h;
    while (hl >= nl) {
        const char *c = memchr(h, n[0], hl - nl + 1);
        if (!c)
            return NULL;
        pm_charge(st, 1 + (long)(nl / 64));
        if (memcmp(c + 1, n + 1, nl - 1) == 0)
            return c;
        hl -= (size_t)(c + 1 - h);
        h = c + 1;
    }
    return NULL;
}

static int pm_plain_find(pm_state *st, const char *s, size_t init,
                         const char *p, size_t lp) {
    const char *at = pm_memfind(st, s + init, (size_t)(st->s_end - s) - init,
                                p, lp);
    if (!at) {
        luaL_pushfail(st->L);
        return 1;
    }
    lua_pushinteger(st->L, (lua_Integer)(at - s) + 1);
    lua_pushinteger(st->L, (lua_Integer)(at - s) + (lua_Integer)lp);
    return 2;
}

/* Shared body of find (want_pos) and match. A leading '^' anchors the
 * match at init; otherwise every position up to the end is tried. */
static int pm_find_aux(lua_State *L, int want_pos) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = pm_start(luaL_optinteger(L, 3, 1), ls);
    pm_state st;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    pm_init(&st, L, lua_touserdata(L, lua_upvalueindex(1)), s, ls, p, lp);
    if (want_pos && (lua_toboolean(L, 4) || !pm_has_magic(p, lp)))
        return pm_plain_find(&st, s, init, p, lp);
    int anchored = lp > 0 && *p == '^';
    if (anchored)
        p++;
    for (const char *at = s + init;; at++) {
        pm_reset(&st);
        const char *e = pm_match(&st, at, p);
        if (e && want_pos) {
            lua_pushinteger(L, (lua_Integer)(at - s) + 1);
            lua_pushinteger(L, (lua_Integer)(e - s));
            return 2 + pm_push_caps(&st, NULL, NULL);
        }
        if (e)
            return pm_push_caps(&st, at, e);
        if (anchored || at == st.s_end)
            break;
    }
    luaL_pushfail(L);
    return 1;
}

static int pm_find(lua_State *L) { return pm_find_aux(L, 1); }
static int pm_match_fn(lua_State *L) { return pm_find_aux(L, 0); }

/* ---- gmatch ----------------------------------------------------------- */

/* Iterator upvalues: 1 subject, 2 pattern, 3 next start offset, 4 end
 * offset of the last match (-1 before the first), 5 hook. A match that
 * ends where the previous one ended is skipped (Lua 5.4 rule), so an empty
 * match right after a non-empty one is not reported. '^' is an ordinary
 * byte here, as in stock 5.4. */
static int pm_gmatch_step(lua_State *L) {
    size_t ls, lp;
    const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3));
    lua_Integer last = lua_tointeger(L, lua_upvalueindex(4));
    pm_state st;
    pm_init(&st, L, lua_touserdata(L, lua_upvalueindex(5)), s, ls, p, lp);
    for (; pos <= (lua_Integer)ls; pos++) {
        pm_reset(&st);
        const char *e = pm_match(&st, s + pos, p);
        if (e && e - s != last) {
            lua_pushinteger(L, (lua_Integer)(e - s));
            lua_copy(L, -1, lua_upvalueindex(3));
            lua_replace(L, lua_upvalueindex(4));
            return pm_push_caps(&st, s + pos, e);
        }
    }
    return 0;
}

static int pm_gmatch(lua_State *L) {
    size_t ls, lp;
    luaL_checklstring(L, 1, &ls);
    luaL_checklstring(L, 2, &lp);
    size_t init = pm_start(luaL_optinteger(L, 3, 1), ls);
    if (init > ls)
        init = ls + 1; /* past the end: the iterator finds nothing */
    lua_settop(L, 2);  /* the converted strings become upvalues */
    lua_pushinteger(L, (lua_Integer)init);
    lua_pushinteger(L, -1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, pm_gmatch_step, 5);
    return 1;
}

/* ---- gsub ------------------------------------------------------------- */

/* Appends a replacement string for match s..e: "%0" is the match, "%1"..
 * "%9" captures, "%%" a percent; any other use of '%' is an error. */
static void pm_expand(pm_state *st, luaL_Buffer *b, const char *s,
                      const char *e) {
    size_t rl;
    const char *r = lua_tolstring(st->L, 3, &rl);
    const char *end = r + rl;
    pm_charge(st, 1 + (long)(rl / 64));
    for (;;) {
        const char *pct = memchr(r, PM_ESC, (size_t)(end - r));
        if (!pct)
            break;
        luaL_addlstring(b, r, (size_t)(pct - r));
        int d = pct + 1 < end ? (uchar)pct[1] : 0;
        if (d == PM_ESC) {
            luaL_addchar(b, PM_ESC);
        } else if (d == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit(d)) {
            const char *at;
            ptrdiff_t len = pm_cap_get(st, d - '1', s, e, &at);
            if (len == CAP_POS)
                luaL_addvalue(b); /* the pushed position */
            else
                luaL_addlstring(b, at, (size_t)len);
        } else {
            luaL_error(st->L, "invalid use of '%c' in replacement string",
                       PM_ESC);
        }
        r = pct + 2;
    }
    luaL_addlstring(b, r, (size_t)(end - r));
}

/* Appends the replacement for match s..e of type rt. Returns 0 when a
 * table or function gave false/nil: the caller keeps the original text. */
static int pm_replace(pm_state *st, luaL_Buffer *b, const char *s,
                      const char *e, int rt) {
    lua_State *L = st->L;
    if (rt == LUA_TFUNCTION || rt == LUA_TTABLE)
        ST_CSTACK_CHECK(L); /* LuaJIT: no C-call limit of its own */
    if (rt == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);
        lua_call(L, pm_push_caps(st, s, e), 1);
    } else if (rt == LUA_TTABLE) {
        pm_push_cap(st, 0, s, e);
        lua_gettable(L, 3);
    } else {
        pm_expand(st, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)",
                          luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

/* Unreplaced text is copied in runs: `kept` marks the start of text not
 * yet in the buffer. The result is the original string when nothing was
 * replaced, even if matches were counted. */
static int pm_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int rt = lua_type(L, 3);
    lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, rt == LUA_TNUMBER || rt == LUA_TSTRING ||
                     rt == LUA_TFUNCTION || rt == LUA_TTABLE, 3,
                     "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored)
        p++, lp--;
    pm_state st;
    pm_init(&st, L, lua_touserdata(L, lua_upvalueindex(1)), s, ls, p, lp);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    const char *at = s, *kept = s, *last = NULL;
    lua_Integer n = 0;
    int changed = 0;
    while (n < max_n) {
        pm_reset(&st);
        const char *e = pm_match(&st, at, p);
        if (e && e != last) { /* 5.4: no empty match where one just ended */
            n++;
            luaL_addlstring(&b, kept, (size_t)(at - kept));
            kept = at;
            if (pm_replace(&st, &b, at, e, rt)) {
                changed = 1;
                kept = e;
            }
            at = last = e;
        } else if (at < st.s_end) {
            at++;
        } else {
            break;
        }
        if (anchored)
            break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, kept, (size_t)(st.s_end - kept));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

/* ---- installation ----------------------------------------------------- */

void st_pattern_install(lua_State *L, int idx, st_pattern_tick_fn tick,
                        void *ud) {
    static const luaL_Reg fns[] = {
        {"find", pm_find},
        {"match", pm_match_fn},
        {"gmatch", pm_gmatch},
        {"gsub", pm_gsub},
    };
    idx = lua_absindex(L, idx);
    pm_hook *hook = lua_newuserdatauv(L, sizeof *hook, 0);
    hook->tick = tick;
    hook->ud = ud;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        lua_pushstring(L, fns[i].name);
        lua_pushvalue(L, -2);
        lua_pushcclosure(L, fns[i].func, 1);
        lua_rawset(L, idx); /* a plain table: no metamethods involved */
    }
    lua_pop(L, 1);
}
