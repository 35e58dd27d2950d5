/*
 * patch.c - JSON Pointer (RFC 6901), JSON Patch (RFC 6902) and JSON Merge
 * Patch (RFC 7386) on cJSON trees. See patch.h for the contract.
 *
 * Layout: messages, pointers (syntax, tokens, resolution), tree edits,
 * JSON Patch operations, merge patch, equality, public entry points.
 */
#include "patch.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__)
#define ST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ST_PRINTF(f, a)
#endif

/* ---- messages ------------------------------------------------------- */

/* Where the "what is wrong" part of an error goes; buf may be NULL when the
 * caller (st_pointer_get) only wants success or failure. */
typedef struct {
    char *buf;
    size_t cap;
} msg;

/* Records a failure and returns -1 so callers can `return fail(...)`. */
static int fail(msg *m, const char *fmt, ...) ST_PRINTF(2, 3);
static int fail(msg *m, const char *fmt, ...)
{
    if (m && m->buf && m->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->buf, m->cap, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Fills the caller's err buffer, if any; returns -1. */
static int report(char *err, size_t errlen, const char *fmt, ...) ST_PRINTF(3, 4);
static int report(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A pointer as shown in messages: the empty pointer would vanish, so it is
 * written as "" (two quote characters). */
static const char *shown(const char *pointer)
{
    return *pointer ? pointer : "\"\"";
}

/* ---- small tree helpers ------------------------------------------------ */

/* The member named key. cJSON keeps duplicate names; the first one is the
 * member (see patch.h). */
static cJSON *member(const cJSON *obj, const char *key)
{
    for (cJSON *c = obj->child; c; c = c->next)
        if (c->string && strcmp(c->string, key) == 0)
            return c;
    return NULL;
}

/* Whether m is hidden behind an earlier member of the same name. */
static int shadowed(const cJSON *obj, const cJSON *m)
{
    for (const cJSON *c = obj->child; c && c != m; c = c->next)
        if (c->string && strcmp(c->string, m->string) == 0)
            return 1;
    return 0;
}

/* Deletes every member named key, so that removing a name cannot expose a
 * shadowed duplicate as its new value. */
static void delete_members(cJSON *obj, const char *key)
{
    cJSON *c;
    while ((c = member(obj, key)) != NULL)
        cJSON_Delete(cJSON_DetachItemViaPointer(obj, c));
}

/* Deletes the members after keep that share its name: once a member is
 * written, the document should read the same to every JSON parser, and one
 * that keeps the last duplicate would see a stale value. */
static void delete_shadowed(cJSON *obj, cJSON *keep)
{
    cJSON *c = keep->next, *next;
    for (; c; c = next) {
        next = c->next;
        if (c->string && strcmp(c->string, keep->string) == 0)
            cJSON_Delete(cJSON_DetachItemViaPointer(obj, c));
    }
}

/* Links item into arr before the element at. Done by hand because Debian's
 * cJSON 1.7.15-1+deb12u4 cJSON_InsertItemInArray refuses every insertion
 * other than at index 0 or the end. cJSON's list invariant: child->prev is
 * the last element and the last element's next is NULL. */
static void insert_before(cJSON *arr, cJSON *at, cJSON *item)
{
    item->next = at;
    item->prev = at->prev;
    if (at == arr->child)
        arr->child = item; /* item->prev is now the last element */
    else
        at->prev->next = item;
    at->prev = item;
}

/* Gives item the member name key, or none when key is NULL: duplicates
 * keep the name they had in their old parent, and cJSON's replace-by-pointer
 * does not rename. Returns -1 when out of memory (item untouched then). */
static int set_key(cJSON *item, const char *key)
{
    char *copy = NULL;
    if (key) {
        size_t n = strlen(key) + 1;
        if (!(copy = cJSON_malloc(n)))
            return -1;
        memcpy(copy, key, n);
    }
    if (!(item->type & cJSON_StringIsConst))
        cJSON_free(item->string);
    item->string = copy;
    item->type &= ~cJSON_StringIsConst;
    return 0;
}

/* ---- pointers ----------------------------------------------------------- */

/* RFC 6901 syntax: "" or "/"-separated tokens where "~" is always followed
 * by "0" or "1". Checked before walking so a malformed pointer is reported
 * as such whatever the document holds. */
static int pointer_check(const char *ptr, msg *m)
{
    if (*ptr && *ptr != '/')
        return fail(m, "invalid pointer: must be empty or start with \"/\"");
    for (const char *s = ptr; *s; s++)
        if (*s == '~' && s[1] != '0' && s[1] != '1')
            return fail(m, "invalid pointer: \"~\" must be followed by \"0\" or \"1\"");
    return 0;
}

/* Decodes the token after the '/' at *p into out (which has room for the
 * whole pointer) and leaves *p at the next '/' or the end. The syntax was
 * checked already. One left-to-right pass gives RFC 6901's decoding order
 * for free: "~01" becomes "~1", never "/". */
static void token_decode(const char **p, char *out)
{
    const char *s = *p + 1;
    while (*s && *s != '/') {
        if (*s == '~') {
            *out++ = s[1] == '0' ? '~' : '/';
            s += 2;
        } else {
            *out++ = *s++;
        }
    }
    *out = '\0';
    *p = s;
}

enum { IDX_OK, IDX_DASH, IDX_BAD, IDX_ZERO, IDX_BIG };

/* Array index token: decimal, no sign, no leading zero, or "-". */
static int index_parse(const char *tok, int *out)
{
    long long v = 0;
    if (strcmp(tok, "-") == 0)
        return IDX_DASH;
    if (!*tok || strspn(tok, "0123456789") != strlen(tok))
        return IDX_BAD;
    if (tok[0] == '0' && tok[1])
        return IDX_ZERO;
    for (const char *c = tok; *c; c++)
        if ((v = v * 10 + (*c - '0')) > INT_MAX)
            return IDX_BIG;
    *out = (int)v;
    return IDX_OK;
}

/* What a pointer leads to. */
typedef struct {
    cJSON *parent; /* container of the last token; NULL for "" */
    cJSON *item;   /* the item named; NULL when an add names a new slot */
    char *key;     /* decoded last token (cJSON_malloc); NULL for "" */
    int slot;      /* position in an array parent; its size for "-" */
} loc;

/* Progress of a walk, for messages that name the part of the pointer at
 * fault. */
typedef struct {
    const char *ptr;
    size_t before; /* length of ptr up to the current token */
    size_t through; /* ... and through it */
    msg *m;
} walk;

static int step_object(cJSON *obj, int adding, loc *l, const walk *w)
{
    l->item = member(obj, l->key);
    if (l->item || adding)
        return 0;
    return fail(w->m, "%.*s does not exist", (int)w->through, w->ptr);
}

static int step_array(cJSON *arr, int adding, loc *l, const walk *w)
{
    int size = cJSON_GetArraySize(arr);
    int rc = index_parse(l->key, &l->slot);
    l->item = NULL;
    if (rc == IDX_DASH && adding) {
        l->slot = size;
        return 0;
    }
    if (rc == IDX_DASH)
        return fail(w->m, "array index \"-\" names no element (only add may append)");
    if (rc == IDX_BAD)
        return fail(w->m, "invalid array index \"%s\"", l->key);
    if (rc == IDX_ZERO)
        return fail(w->m, "invalid array index \"%s\": leading zero", l->key);
    if (rc == IDX_BIG || l->slot > size || (l->slot == size && !adding))
        return fail(w->m, "array index %s out of range (size %d)", l->key, size);
    if (!adding)
        l->item = cJSON_GetArrayItem(arr, l->slot);
    return 0;
}

/* One step down from container c by the token in l->key. For the last
 * token of an add, a missing member or the end of an array is a valid
 * destination (item NULL). */
static int step(cJSON *c, int adding, loc *l, const walk *w)
{
    if (cJSON_IsObject(c))
        return step_object(c, adding, l, w);
    if (cJSON_IsArray(c))
        return step_array(c, adding, l, w);
    if (w->before == 0)
        return fail(w->m, "the document root is not an object or array");
    return fail(w->m, "%.*s is not an object or array", (int)w->before, w->ptr);
}

/* Resolves ptr in root. adding: the pointer is an add's destination, which
 * need not exist yet. On success l holds the location and the caller frees
 * it with loc_free; on failure nothing is held. */
static int resolve(cJSON *root, const char *ptr, int adding, loc *l, msg *m)
{
    walk w = {ptr, 0, 0, m};
    const char *p = ptr;
    cJSON *cur = root;
    memset(l, 0, sizeof *l);
    l->item = root;
    if (pointer_check(ptr, m) != 0)
        return -1;
    if (!*ptr)
        return 0;
    if (!(l->key = cJSON_malloc(strlen(ptr) + 1)))
        return fail(m, "out of memory");
    for (;;) {
        int last;
        w.before = (size_t)(p - ptr);
        token_decode(&p, l->key);
        w.through = (size_t)(p - ptr);
        last = *p == '\0';
        if (step(cur, last && adding, l, &w) != 0)
            break;
        if (last) {
            l->parent = cur;
            return 0;
        }
        cur = l->item;
    }
    cJSON_free(l->key);
    l->key = NULL;
    return -1;
}

static void loc_free(loc *l)
{
    cJSON_free(l->key);
    l->key = NULL;
}

/* ---- edits at a location ---------------------------------------------- */

/* Replaces what l names with item (owned; freed on failure). */
static int replace_at(cJSON **root, const loc *l, cJSON *item, msg *m)
{
    const char *key = cJSON_IsObject(l->parent) ? l->key : NULL;
    if (set_key(item, key) != 0) {
        cJSON_Delete(item);
        return fail(m, "out of memory");
    }
    if (!l->parent) {
        cJSON_Delete(*root);
        *root = item;
        return 0;
    }
    cJSON_ReplaceItemViaPointer(l->parent, l->item, item);
    if (key)
        delete_shadowed(l->parent, item);
    return 0;
}

/* Puts item (owned; freed on failure) at an add's destination: replaces the
 * root or an existing member, inserts into an array, or adds a member. */
static int place(cJSON **root, const loc *l, cJSON *item, msg *m)
{
    cJSON *at;
    if (!l->parent || l->item)
        return replace_at(root, l, item, m);
    if (cJSON_IsObject(l->parent)) {
        if (cJSON_AddItemToObject(l->parent, l->key, item))
            return 0;
        cJSON_Delete(item); /* only copying the key can fail */
        return fail(m, "out of memory");
    }
    set_key(item, NULL);
    if ((at = cJSON_GetArrayItem(l->parent, l->slot)) != NULL)
        insert_before(l->parent, at, item);
    else
        cJSON_AddItemToArray(l->parent, item); /* appending cannot fail */
    return 0;
}

/* Adds item (owned; freed on failure) at ptr. */
static int add_item(cJSON **root, const char *ptr, cJSON *item, msg *m)
{
    loc l;
    int rc;
    if (resolve(*root, ptr, 1, &l, m) != 0) {
        cJSON_Delete(item);
        return -1;
    }
    rc = place(root, &l, item, m);
    loc_free(&l);
    return rc;
}

/* Detaches the item at ptr into *out. The root cannot be taken: a document
 * cannot be left with nothing in it. */
static int take(cJSON **root, const char *ptr, cJSON **out, msg *m)
{
    loc l;
    if (resolve(*root, ptr, 0, &l, m) != 0)
        return -1;
    if (!l.parent) {
        loc_free(&l);
        return fail(m, "cannot remove the whole document");
    }
    *out = cJSON_DetachItemViaPointer(l.parent, l.item);
    if (cJSON_IsObject(l.parent))
        delete_members(l.parent, l.key);
    loc_free(&l);
    return 0;
}

/* ---- JSON Patch operations ------------------------------------------- */

/* An operation object, read. Strings are borrowed from the patch. */
typedef struct {
    const char *op;   /* "?" until known */
    const char *path; /* NULL until known */
    const char *from;
    const cJSON *value;
} oper;

static int op_add(cJSON **root, const oper *o, msg *m)
{
    cJSON *item = cJSON_Duplicate(o->value, 1);
    if (!item)
        return fail(m, "out of memory");
    return add_item(root, o->path, item, m);
}

static int op_remove(cJSON **root, const oper *o, msg *m)
{
    cJSON *item;
    if (take(root, o->path, &item, m) != 0)
        return -1;
    cJSON_Delete(item);
    return 0;
}

static int op_replace(cJSON **root, const oper *o, msg *m)
{
    loc l;
    cJSON *item;
    int rc;
    if (resolve(*root, o->path, 0, &l, m) != 0)
        return -1;
    if ((item = cJSON_Duplicate(o->value, 1)) != NULL)
        rc = replace_at(root, &l, item, m);
    else
        rc = fail(m, "out of memory");
    loc_free(&l);
    return rc;
}

/* Resolves an operation's "from", naming it in any message. */
static int resolve_from(cJSON *root, const char *from, loc *l, msg *m)
{
    char inner[512];
    msg im = {inner, sizeof inner};
    if (resolve(root, from, 0, l, &im) == 0)
        return 0;
    return fail(m, "from %s: %s", shown(from), inner);
}

/* Whether a is a proper prefix of b as a pointer (token boundary). Raw text
 * comparison is exact because ~0/~1 is the only escaping. */
static int proper_prefix(const char *a, const char *b)
{
    size_t n = strlen(a);
    return strncmp(a, b, n) == 0 && b[n] == '/';
}

static int op_move(cJSON **root, const oper *o, msg *m)
{
    loc l;
    cJSON *item;
    if (proper_prefix(o->from, o->path))
        return fail(m, "cannot move %s into its own child", shown(o->from));
    if (resolve_from(*root, o->from, &l, m) != 0)
        return -1;
    loc_free(&l);
    if (strcmp(o->from, o->path) == 0)
        return 0; /* RFC 6902 4.4: moving a value onto itself changes nothing */
    if (take(root, o->from, &item, m) != 0)
        return -1;
    return add_item(root, o->path, item, m);
}

static int op_copy(cJSON **root, const oper *o, msg *m)
{
    loc l;
    cJSON *item;
    if (resolve_from(*root, o->from, &l, m) != 0)
        return -1;
    item = cJSON_Duplicate(l.item, 1);
    loc_free(&l);
    if (!item)
        return fail(m, "out of memory");
    return add_item(root, o->path, item, m);
}

static int op_test(cJSON **root, const oper *o, msg *m)
{
    loc l;
    int same;
    if (resolve(*root, o->path, 0, &l, m) != 0)
        return -1;
    same = st_patch_equal(l.item, o->value);
    loc_free(&l);
    return same ? 0 : fail(m, "test failed");
}

enum { NEEDS_VALUE = 1, NEEDS_FROM = 2 };

typedef struct {
    const char *name;
    int needs;
    int (*run)(cJSON **root, const oper *o, msg *m);
} op_kind;

static const op_kind op_kinds[] = {
    {"add", NEEDS_VALUE, op_add},   {"remove", 0, op_remove},
    {"replace", NEEDS_VALUE, op_replace}, {"move", NEEDS_FROM, op_move},
    {"copy", NEEDS_FROM, op_copy},  {"test", NEEDS_VALUE, op_test},
};

static const op_kind *op_find(const char *name)
{
    for (size_t i = 0; i < sizeof op_kinds / sizeof op_kinds[0]; i++)
        if (strcmp(op_kinds[i].name, name) == 0)
            return &op_kinds[i];
    return NULL;
}

/* Looks up a member of an operation object. A repeated name is an error:
 * RFC 6902 A.13 rejects {"op":"add",...,"op":"remove"} rather than guess. */
static int op_member(const cJSON *o, const char *name, const cJSON **out, msg *m)
{
    *out = member(o, name);
    for (const cJSON *c = *out ? (*out)->next : NULL; c; c = c->next)
        if (c->string && strcmp(c->string, name) == 0)
            return fail(m, "duplicate member \"%s\"", name);
    return 0;
}

/* Reads a required string member ("op", "path", "from"). */
static int op_string(const cJSON *o, const char *name, const char **out, msg *m)
{
    const cJSON *v;
    if (op_member(o, name, &v, m) != 0)
        return -1;
    if (!v)
        return fail(m, "missing member \"%s\"", name);
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(m, "member \"%s\" is not a string", name);
    *out = v->valuestring;
    return 0;
}

/* Shows op and path as written in the message header even when another
 * member is the one at fault; validation proper is op_parse's. */
static void op_peek(const cJSON *obj, oper *o)
{
    const cJSON *op = member(obj, "op"), *path = member(obj, "path");
    if (cJSON_IsString(op) && op->valuestring)
        o->op = op->valuestring;
    if (cJSON_IsString(path) && path->valuestring)
        o->path = path->valuestring;
}

/* Reads and checks one operation object. */
static int op_parse(const cJSON *obj, oper *o, const op_kind **kind, msg *m)
{
    if (!cJSON_IsObject(obj))
        return fail(m, "not a JSON object");
    op_peek(obj, o);
    if (op_string(obj, "op", &o->op, m) != 0)
        return -1;
    if (op_string(obj, "path", &o->path, m) != 0)
        return -1;
    if (!(*kind = op_find(o->op)))
        return fail(m, "unknown op \"%s\"", o->op);
    if (pointer_check(o->path, m) != 0)
        return -1; /* before any op starts editing, e.g. move's removal */
    if ((*kind)->needs & NEEDS_FROM)
        return op_string(obj, "from", &o->from, m);
    if (!((*kind)->needs & NEEDS_VALUE))
        return 0;
    if (op_member(obj, "value", &o->value, m) != 0)
        return -1;
    return o->value ? 0 : fail(m, "missing member \"value\"");
}

/* Runs operation number n on the working copy. */
static int op_run(cJSON **work, const cJSON *obj, size_t n, char *err, size_t errlen)
{
    char what[1024] = "";
    msg m = {what, sizeof what};
    oper o = {"?", NULL, NULL, NULL};
    const op_kind *kind = NULL;
    if (op_parse(obj, &o, &kind, &m) == 0 && kind->run(work, &o, &m) == 0)
        return 0;
    return report(err, errlen, "operation %zu (%s) at %s: %s", n, o.op,
                  o.path ? shown(o.path) : "?", what);
}

/* ---- merge patch --------------------------------------------------------- */

static int merge_object(cJSON *target, const cJSON *patch);

/* MergePatch(absent or non-object, patch): a fresh tree. Merging an object
 * into {} rather than copying it drops its nulls, as RFC 7386 asks. */
static cJSON *merge_fresh(const cJSON *patch)
{
    cJSON *obj;
    if (!cJSON_IsObject(patch))
        return cJSON_Duplicate(patch, 1);
    if ((obj = cJSON_CreateObject()) && merge_object(obj, patch) != 0) {
        cJSON_Delete(obj);
        obj = NULL;
    }
    return obj;
}

/* target[p->string] = MergePatch(target[p->string], p), with p not null. */
static int merge_member(cJSON *target, const cJSON *p)
{
    cJSON *cur = member(target, p->string), *fresh;
    if (cur)
        delete_shadowed(target, cur);
    if (cur && cJSON_IsObject(cur) && cJSON_IsObject(p))
        return merge_object(cur, p);
    if (!(fresh = merge_fresh(p)))
        return -1;
    if (cur && set_key(fresh, p->string) == 0) {
        cJSON_ReplaceItemViaPointer(target, cur, fresh);
        return 0;
    }
    if (!cur && cJSON_AddItemToObject(target, p->string, fresh))
        return 0;
    cJSON_Delete(fresh);
    return -1;
}

/* Merges object patch into object target in place; -1 only when out of
 * memory, leaving target partly merged (callers work on a copy). */
static int merge_object(cJSON *target, const cJSON *patch)
{
    for (const cJSON *p = patch->child; p; p = p->next) {
        if (!p->string || shadowed(patch, p))
            continue;
        if (cJSON_IsNull(p))
            delete_members(target, p->string);
        else if (merge_member(target, p) != 0)
            return -1;
    }
    return 0;
}

/* ---- equality ------------------------------------------------------------ */

static int arrays_equal(const cJSON *a, const cJSON *b)
{
    const cJSON *x = a->child, *y = b->child;
    for (; x && y; x = x->next, y = y->next)
        if (!st_patch_equal(x, y))
            return 0;
    return !x && !y;
}

/* Same names (first occurrences) with equal values. Values are compared in
 * one direction only; the other direction checks names, which keeps the
 * cost linear in depth instead of doubling at every level. */
static int objects_equal(const cJSON *a, const cJSON *b)
{
    for (const cJSON *x = a->child; x; x = x->next) {
        if (!x->string || shadowed(a, x))
            continue;
        if (!st_patch_equal(x, member(b, x->string)))
            return 0;
    }
    for (const cJSON *y = b->child; y; y = y->next)
        if (y->string && !member(a, y->string))
            return 0;
    return 1;
}

int st_patch_equal(const cJSON *a, const cJSON *b)
{
    int type;
    if (!a || !b)
        return a == b;
    type = a->type & 0xFF;
    if (type != (b->type & 0xFF))
        return 0;
    switch (type) {
    case cJSON_Number:
        return a->valuedouble == b->valuedouble;
    case cJSON_String:
    case cJSON_Raw:
        return a->valuestring && b->valuestring
            ? strcmp(a->valuestring, b->valuestring) == 0
            : a->valuestring == b->valuestring;
    case cJSON_Array:
        return arrays_equal(a, b);
    case cJSON_Object:
        return objects_equal(a, b);
    default:
        return 1; /* false, true, null: the type is the value */
    }
}

/* ---- entry points ------------------------------------------------------ */

int st_patch_merge(cJSON **doc, const cJSON *merge)
{
    cJSON *work;
    if (!doc || !merge)
        return -1;
    if (cJSON_IsObject(merge) && cJSON_IsObject(*doc)) {
        work = cJSON_Duplicate(*doc, 1);
        if (!work || merge_object(work, merge) != 0) {
            cJSON_Delete(work);
            return -1;
        }
    } else if ((work = merge_fresh(merge)) != NULL) {
        set_key(work, NULL); /* a root has no member name */
    } else {
        return -1;
    }
    cJSON_Delete(*doc);
    *doc = work;
    return 0;
}

int st_patch_json(cJSON **doc, const cJSON *ops, char *err, size_t errlen)
{
    cJSON *work;
    size_t n = 0;
    if (!doc || !*doc)
        return report(err, errlen, "JSON patch: no document");
    if (!cJSON_IsArray(ops))
        return report(err, errlen, "JSON patch: not an array of operations");
    if (!(work = cJSON_Duplicate(*doc, 1)))
        return report(err, errlen, "JSON patch: out of memory");
    for (const cJSON *o = ops->child; o; o = o->next, n++) {
        if (op_run(&work, o, n, err, errlen) != 0) {
            cJSON_Delete(work);
            return -1;
        }
    }
    cJSON_Delete(*doc);
    *doc = work;
    return 0;
}

int st_patch_apply(cJSON **doc, const cJSON *change, char *err, size_t errlen)
{
    if (cJSON_IsArray(change))
        return st_patch_json(doc, change, err, errlen);
    if (!cJSON_IsObject(change))
        return report(err, errlen, "change set: must be a JSON object (merge "
                      "patch) or array (JSON patch)");
    if (!doc || !*doc)
        return report(err, errlen, "merge patch: no document");
    if (st_patch_merge(doc, change) != 0)
        return report(err, errlen, "merge patch: out of memory");
    return 0;
}

cJSON *st_pointer_get(const cJSON *doc, const char *pointer)
{
    loc l;
    if (!doc || !pointer)
        return NULL;
    /* Only the signature is non-const (the result is the caller's to
     * modify when doc is); resolve itself modifies nothing. */
    if (resolve((cJSON *)doc, pointer, 0, &l, NULL) != 0)
        return NULL;
    loc_free(&l);
    return l.item;
}

int st_pointer_append(char *buf, size_t cap, const char *token)
{
    size_t len, need = 1; /* the "/" */
    char *o;
    if (!buf || !token || (len = strnlen(buf, cap)) >= cap)
        return -1;
    for (const char *c = token; *c; c++)
        need += (*c == '~' || *c == '/') ? 2 : 1;
    if (need >= cap - len) /* the NUL needs one more byte */
        return -1;
    o = buf + len;
    *o++ = '/';
    for (const char *c = token; *c; c++) {
        if (*c == '~' || *c == '/') {
            *o++ = '~';
            *o++ = *c == '~' ? '0' : '1';
        } else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return 0;
}
