import 'node:fs';
import 'node:path';
import 'node:url';

// --------------------------------------------------------------------------
// Iterators
// --------------------------------------------------------------------------
/** Returns true if this value is an async iterator */
function IsAsyncIterator$1(value) {
    return IsObject$2(value) && globalThis.Symbol.asyncIterator in value;
}
/** Returns true if this value is an iterator */
function IsIterator$1(value) {
    return IsObject$2(value) && globalThis.Symbol.iterator in value;
}
// --------------------------------------------------------------------------
// JavaScript
// --------------------------------------------------------------------------
/** Returns true if this value is a Promise */
function IsPromise$1(value) {
    return value instanceof globalThis.Promise;
}
/** Returns true if this value is a Date */
function IsDate$2(value) {
    return value instanceof Date && globalThis.Number.isFinite(value.getTime());
}
/** Returns true if the value is a Uint8Array */
function IsUint8Array$2(value) {
    return value instanceof globalThis.Uint8Array;
}
// --------------------------------------------------------------------------
// Standard
// --------------------------------------------------------------------------
/** Returns true of this value is an object type */
function IsObject$2(value) {
    return value !== null && typeof value === 'object';
}
/** Returns true if this value is an array, but not a typed array */
function IsArray$2(value) {
    return globalThis.Array.isArray(value) && !globalThis.ArrayBuffer.isView(value);
}
/** Returns true if this value is an undefined */
function IsUndefined$2(value) {
    return value === undefined;
}
/** Returns true if this value is an null */
function IsNull$1(value) {
    return value === null;
}
/** Returns true if this value is an boolean */
function IsBoolean$1(value) {
    return typeof value === 'boolean';
}
/** Returns true if this value is an number */
function IsNumber$1(value) {
    return typeof value === 'number';
}
/** Returns true if this value is an integer */
function IsInteger$1(value) {
    return globalThis.Number.isInteger(value);
}
/** Returns true if this value is bigint */
function IsBigInt$1(value) {
    return typeof value === 'bigint';
}
/** Returns true if this value is string */
function IsString$2(value) {
    return typeof value === 'string';
}
/** Returns true if this value is a function */
function IsFunction$1(value) {
    return typeof value === 'function';
}
/** Returns true if this value is a symbol */
function IsSymbol$1(value) {
    return typeof value === 'symbol';
}

var TypeSystemPolicy;
(function (TypeSystemPolicy) {
    // ------------------------------------------------------------------
    // TypeSystemPolicy: Instancing
    // ------------------------------------------------------------------
    /**
     * Configures the instantiation behavior of TypeBox types. The `default` option assigns raw JavaScript
     * references for embedded types, which may cause side effects if type properties are explicitly updated
     * outside the TypeBox type builder. The `clone` option creates copies of any shared types upon creation,
     * preventing unintended side effects. The `freeze` option applies `Object.freeze()` to the type, making
     * it fully readonly and immutable. Implementations should use `default` whenever possible, as it is the
     * fastest way to instantiate types. The default setting is `default`.
     */
    TypeSystemPolicy.InstanceMode = 'default';
    // ------------------------------------------------------------------
    // TypeSystemPolicy: Checking
    // ------------------------------------------------------------------
    /** Sets whether TypeBox should assert optional properties using the TypeScript `exactOptionalPropertyTypes` assertion policy. The default is `false` */
    TypeSystemPolicy.ExactOptionalPropertyTypes = false;
    /** Sets whether arrays should be treated as a kind of objects. The default is `false` */
    TypeSystemPolicy.AllowArrayObject = false;
    /** Sets whether `NaN` or `Infinity` should be treated as valid numeric values. The default is `false` */
    TypeSystemPolicy.AllowNaN = false;
    /** Sets whether `null` should validate for void types. The default is `false` */
    TypeSystemPolicy.AllowNullVoid = false;
    /** Checks this value using the ExactOptionalPropertyTypes policy */
    function IsExactOptionalProperty(value, key) {
        return TypeSystemPolicy.ExactOptionalPropertyTypes ? key in value : value[key] !== undefined;
    }
    TypeSystemPolicy.IsExactOptionalProperty = IsExactOptionalProperty;
    /** Checks this value using the AllowArrayObjects policy */
    function IsObjectLike(value) {
        const isObject = IsObject$2(value);
        return TypeSystemPolicy.AllowArrayObject ? isObject : isObject && !IsArray$2(value);
    }
    TypeSystemPolicy.IsObjectLike = IsObjectLike;
    /** Checks this value as a record using the AllowArrayObjects policy */
    function IsRecordLike(value) {
        return IsObjectLike(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
    }
    TypeSystemPolicy.IsRecordLike = IsRecordLike;
    /** Checks this value using the AllowNaN policy */
    function IsNumberLike(value) {
        return TypeSystemPolicy.AllowNaN ? IsNumber$1(value) : Number.isFinite(value);
    }
    TypeSystemPolicy.IsNumberLike = IsNumberLike;
    /** Checks this value using the AllowVoidNull policy */
    function IsVoidLike(value) {
        const isUndefined = IsUndefined$2(value);
        return TypeSystemPolicy.AllowNullVoid ? isUndefined || value === null : isUndefined;
    }
    TypeSystemPolicy.IsVoidLike = IsVoidLike;
})(TypeSystemPolicy || (TypeSystemPolicy = {}));

// --------------------------------------------------------------------------
// PropertyKey
// --------------------------------------------------------------------------
/** Returns true if this value has this property key */
/** Returns true if this value is an array */
function IsArray$1(value) {
    return Array.isArray(value);
}
/** Returns true if this value is a Date object */
function IsDate$1(value) {
    return value instanceof globalThis.Date;
}
/** Returns true if this value is an object */
function IsObject$1(value) {
    return typeof value === 'object' && value !== null;
}
/** Returns true if this value is RegExp */
function IsRegExp$1(value) {
    return value instanceof globalThis.RegExp;
}
/** Returns true if this value is string */
function IsString$1(value) {
    return typeof value === 'string';
}
/** Returns true if this value is a Uint8Array */
function IsUint8Array$1(value) {
    return value instanceof globalThis.Uint8Array;
}
/** Returns true if this value is undefined */
function IsUndefined$1(value) {
    return value === undefined;
}

function ImmutableArray(value) {
    return globalThis.Object.freeze(value).map((value) => Immutable(value));
}
function ImmutableDate(value) {
    return value;
}
function ImmutableUint8Array(value) {
    return value;
}
function ImmutableRegExp(value) {
    return value;
}
function ImmutableObject(value) {
    const result = {};
    for (const key of Object.getOwnPropertyNames(value)) {
        result[key] = Immutable(value[key]);
    }
    for (const key of Object.getOwnPropertySymbols(value)) {
        result[key] = Immutable(value[key]);
    }
    return globalThis.Object.freeze(result);
}
/** Specialized deep immutable value. Applies freeze recursively to the given value */
// prettier-ignore
function Immutable(value) {
    return (IsArray$1(value) ? ImmutableArray(value) :
        IsDate$1(value) ? ImmutableDate(value) :
            IsUint8Array$1(value) ? ImmutableUint8Array(value) :
                IsRegExp$1(value) ? ImmutableRegExp(value) :
                    IsObject$1(value) ? ImmutableObject(value) :
                        value);
}

function ArrayType(value) {
    return value.map((value) => Visit(value));
}
function DateType(value) {
    return new Date(value.getTime());
}
function Uint8ArrayType(value) {
    return new Uint8Array(value);
}
function RegExpType(value) {
    return new RegExp(value.source, value.flags);
}
function ObjectType(value) {
    const result = {};
    for (const key of Object.getOwnPropertyNames(value)) {
        result[key] = Visit(value[key]);
    }
    for (const key of Object.getOwnPropertySymbols(value)) {
        result[key] = Visit(value[key]);
    }
    return result;
}
// prettier-ignore
function Visit(value) {
    return (IsArray$1(value) ? ArrayType(value) :
        IsDate$1(value) ? DateType(value) :
            IsUint8Array$1(value) ? Uint8ArrayType(value) :
                IsRegExp$1(value) ? RegExpType(value) :
                    IsObject$1(value) ? ObjectType(value) :
                        value);
}
/** Clones a value */
function Clone(value) {
    return Visit(value);
}

/** Creates TypeBox schematics using the configured InstanceMode */
function CreateType(schema, options) {
    const result = options !== undefined ? { ...options, ...schema } : schema;
    switch (TypeSystemPolicy.InstanceMode) {
        case 'freeze':
            return Immutable(result);
        case 'clone':
            return Clone(result);
        default:
            return result;
    }
}

/** Symbol key applied to transform types */
/** Symbol key applied to optional types */
const OptionalKind = Symbol.for('TypeBox.Optional');
/** Symbol key applied to types */
const Hint = Symbol.for('TypeBox.Hint');
/** Symbol key applied to types */
const Kind = Symbol.for('TypeBox.Kind');

/** The base Error type thrown for all TypeBox exceptions  */
class TypeBoxError extends Error {
    constructor(message) {
        super(message);
    }
}

// prettier-ignore
function MappedResult(properties) {
    return CreateType({
        [Kind]: 'MappedResult',
        properties
    });
}

function DiscardKey(value, key) {
    const { [key]: _, ...rest } = value;
    return rest;
}
/** Discards property keys from the given value. This function returns a shallow Clone. */
function Discard(value, keys) {
    return keys.reduce((acc, key) => DiscardKey(acc, key), value);
}

/** `[Json]` Creates an Array type */
function Array$1(items, options) {
    return CreateType({ [Kind]: 'Array', type: 'array', items }, options);
}

/** `[Json]` Creates a Never type */
function Never(options) {
    return CreateType({ [Kind]: 'Never', not: {} }, options);
}

/** `[Kind-Only]` Returns true if this value has a Optional symbol */
function IsOptional(value) {
    return IsObject$1(value) && value[OptionalKind] === 'Optional';
}
/** `[Kind-Only]` Returns true if the given value is TAny */
function IsAny(value) {
    return IsKindOf(value, 'Any');
}
/** `[Kind-Only]` Returns true if the given value is TArgument */
function IsArgument(value) {
    return IsKindOf(value, 'Argument');
}
/** `[Kind-Only]` Returns true if the given value is TArray */
function IsArray(value) {
    return IsKindOf(value, 'Array');
}
/** `[Kind-Only]` Returns true if the given value is TAsyncIterator */
function IsAsyncIterator(value) {
    return IsKindOf(value, 'AsyncIterator');
}
/** `[Kind-Only]` Returns true if the given value is TBigInt */
function IsBigInt(value) {
    return IsKindOf(value, 'BigInt');
}
/** `[Kind-Only]` Returns true if the given value is TBoolean */
function IsBoolean(value) {
    return IsKindOf(value, 'Boolean');
}
/** `[Kind-Only]` Returns true if the given value is TComputed */
function IsComputed(value) {
    return IsKindOf(value, 'Computed');
}
/** `[Kind-Only]` Returns true if the given value is TConstructor */
function IsConstructor(value) {
    return IsKindOf(value, 'Constructor');
}
/** `[Kind-Only]` Returns true if the given value is TDate */
function IsDate(value) {
    return IsKindOf(value, 'Date');
}
/** `[Kind-Only]` Returns true if the given value is TFunction */
function IsFunction(value) {
    return IsKindOf(value, 'Function');
}
/** `[Kind-Only]` Returns true if the given value is TInteger */
function IsInteger(value) {
    return IsKindOf(value, 'Integer');
}
/** `[Kind-Only]` Returns true if the given value is TIntersect */
function IsIntersect(value) {
    return IsKindOf(value, 'Intersect');
}
/** `[Kind-Only]` Returns true if the given value is TIterator */
function IsIterator(value) {
    return IsKindOf(value, 'Iterator');
}
/** `[Kind-Only]` Returns true if the given value is a TKind with the given name. */
function IsKindOf(value, kind) {
    return IsObject$1(value) && Kind in value && value[Kind] === kind;
}
/** `[Kind-Only]` Returns true if the given value is TLiteral */
function IsLiteral(value) {
    return IsKindOf(value, 'Literal');
}
/** `[Kind-Only]` Returns true if the given value is a TMappedKey */
function IsMappedKey(value) {
    return IsKindOf(value, 'MappedKey');
}
/** `[Kind-Only]` Returns true if the given value is TMappedResult */
function IsMappedResult(value) {
    return IsKindOf(value, 'MappedResult');
}
/** `[Kind-Only]` Returns true if the given value is TNever */
function IsNever(value) {
    return IsKindOf(value, 'Never');
}
/** `[Kind-Only]` Returns true if the given value is TNot */
function IsNot(value) {
    return IsKindOf(value, 'Not');
}
/** `[Kind-Only]` Returns true if the given value is TNull */
function IsNull(value) {
    return IsKindOf(value, 'Null');
}
/** `[Kind-Only]` Returns true if the given value is TNumber */
function IsNumber(value) {
    return IsKindOf(value, 'Number');
}
/** `[Kind-Only]` Returns true if the given value is TObject */
function IsObject(value) {
    return IsKindOf(value, 'Object');
}
/** `[Kind-Only]` Returns true if the given value is TPromise */
function IsPromise(value) {
    return IsKindOf(value, 'Promise');
}
/** `[Kind-Only]` Returns true if the given value is TRecord */
function IsRecord(value) {
    return IsKindOf(value, 'Record');
}
/** `[Kind-Only]` Returns true if the given value is TRef */
function IsRef(value) {
    return IsKindOf(value, 'Ref');
}
/** `[Kind-Only]` Returns true if the given value is TRegExp */
function IsRegExp(value) {
    return IsKindOf(value, 'RegExp');
}
/** `[Kind-Only]` Returns true if the given value is TString */
function IsString(value) {
    return IsKindOf(value, 'String');
}
/** `[Kind-Only]` Returns true if the given value is TSymbol */
function IsSymbol(value) {
    return IsKindOf(value, 'Symbol');
}
/** `[Kind-Only]` Returns true if the given value is TTemplateLiteral */
function IsTemplateLiteral(value) {
    return IsKindOf(value, 'TemplateLiteral');
}
/** `[Kind-Only]` Returns true if the given value is TThis */
function IsThis(value) {
    return IsKindOf(value, 'This');
}
/** `[Kind-Only]` Returns true if the given value is TTuple */
function IsTuple(value) {
    return IsKindOf(value, 'Tuple');
}
/** `[Kind-Only]` Returns true if the given value is TUndefined */
function IsUndefined(value) {
    return IsKindOf(value, 'Undefined');
}
/** `[Kind-Only]` Returns true if the given value is TUnion */
function IsUnion(value) {
    return IsKindOf(value, 'Union');
}
/** `[Kind-Only]` Returns true if the given value is TUint8Array */
function IsUint8Array(value) {
    return IsKindOf(value, 'Uint8Array');
}
/** `[Kind-Only]` Returns true if the given value is TUnknown */
function IsUnknown(value) {
    return IsKindOf(value, 'Unknown');
}
/** `[Kind-Only]` Returns true if the given value is a raw TUnsafe */
function IsUnsafe(value) {
    return IsKindOf(value, 'Unsafe');
}
/** `[Kind-Only]` Returns true if the given value is TVoid */
function IsVoid(value) {
    return IsKindOf(value, 'Void');
}
/** `[Kind-Only]` Returns true if the given value is TKind */
function IsKind(value) {
    return IsObject$1(value) && Kind in value && IsString$1(value[Kind]);
}
/** `[Kind-Only]` Returns true if the given value is TSchema */
function IsSchema(value) {
    // prettier-ignore
    return (IsAny(value) ||
        IsArgument(value) ||
        IsArray(value) ||
        IsBoolean(value) ||
        IsBigInt(value) ||
        IsAsyncIterator(value) ||
        IsComputed(value) ||
        IsConstructor(value) ||
        IsDate(value) ||
        IsFunction(value) ||
        IsInteger(value) ||
        IsIntersect(value) ||
        IsIterator(value) ||
        IsLiteral(value) ||
        IsMappedKey(value) ||
        IsMappedResult(value) ||
        IsNever(value) ||
        IsNot(value) ||
        IsNull(value) ||
        IsNumber(value) ||
        IsObject(value) ||
        IsPromise(value) ||
        IsRecord(value) ||
        IsRef(value) ||
        IsRegExp(value) ||
        IsString(value) ||
        IsSymbol(value) ||
        IsTemplateLiteral(value) ||
        IsThis(value) ||
        IsTuple(value) ||
        IsUndefined(value) ||
        IsUnion(value) ||
        IsUint8Array(value) ||
        IsUnknown(value) ||
        IsUnsafe(value) ||
        IsVoid(value) ||
        IsKind(value));
}

function RemoveOptional(schema) {
    return CreateType(Discard(schema, [OptionalKind]));
}
function AddOptional(schema) {
    return CreateType({ ...schema, [OptionalKind]: 'Optional' });
}
// prettier-ignore
function OptionalWithFlag(schema, F) {
    return (F === false
        ? RemoveOptional(schema)
        : AddOptional(schema));
}
/** `[Json]` Creates a Optional property */
function Optional(schema, enable) {
    const F = enable ?? true;
    return IsMappedResult(schema) ? OptionalFromMappedResult(schema, F) : OptionalWithFlag(schema, F);
}

// prettier-ignore
function FromProperties(P, F) {
    const Acc = {};
    for (const K2 of globalThis.Object.getOwnPropertyNames(P))
        Acc[K2] = Optional(P[K2], F);
    return Acc;
}
// prettier-ignore
function FromMappedResult(R, F) {
    return FromProperties(R.properties, F);
}
// prettier-ignore
function OptionalFromMappedResult(R, F) {
    const P = FromMappedResult(R, F);
    return MappedResult(P);
}

function UnionCreate(T, options) {
    return CreateType({ [Kind]: 'Union', anyOf: T }, options);
}

/** `[Json]` Creates a Union type */
function Union(types, options) {
    // prettier-ignore
    return (types.length === 0 ? Never(options) :
        types.length === 1 ? CreateType(types[0], options) :
            UnionCreate(types, options));
}

// ------------------------------------------------------------------
// TemplateLiteralParserError
// ------------------------------------------------------------------
class TemplateLiteralParserError extends TypeBoxError {
}
// -------------------------------------------------------------------
// Unescape
//
// Unescape for these control characters specifically. Note that this
// function is only called on non union group content, and where we
// still want to allow the user to embed control characters in that
// content. For review.
// -------------------------------------------------------------------
// prettier-ignore
function Unescape(pattern) {
    return pattern
        .replace(/\\\$/g, '$')
        .replace(/\\\*/g, '*')
        .replace(/\\\^/g, '^')
        .replace(/\\\|/g, '|')
        .replace(/\\\(/g, '(')
        .replace(/\\\)/g, ')');
}
// -------------------------------------------------------------------
// Control Characters
// -------------------------------------------------------------------
function IsNonEscaped(pattern, index, char) {
    return pattern[index] === char && pattern.charCodeAt(index - 1) !== 92;
}
function IsOpenParen(pattern, index) {
    return IsNonEscaped(pattern, index, '(');
}
function IsCloseParen(pattern, index) {
    return IsNonEscaped(pattern, index, ')');
}
function IsSeparator(pattern, index) {
    return IsNonEscaped(pattern, index, '|');
}
// -------------------------------------------------------------------
// Control Groups
// -------------------------------------------------------------------
function IsGroup(pattern) {
    if (!(IsOpenParen(pattern, 0) && IsCloseParen(pattern, pattern.length - 1)))
        return false;
    let count = 0;
    for (let index = 0; index < pattern.length; index++) {
        if (IsOpenParen(pattern, index))
            count += 1;
        if (IsCloseParen(pattern, index))
            count -= 1;
        if (count === 0 && index !== pattern.length - 1)
            return false;
    }
    return true;
}
// prettier-ignore
function InGroup(pattern) {
    return pattern.slice(1, pattern.length - 1);
}
// prettier-ignore
function IsPrecedenceOr(pattern) {
    let count = 0;
    for (let index = 0; index < pattern.length; index++) {
        if (IsOpenParen(pattern, index))
            count += 1;
        if (IsCloseParen(pattern, index))
            count -= 1;
        if (IsSeparator(pattern, index) && count === 0)
            return true;
    }
    return false;
}
// prettier-ignore
function IsPrecedenceAnd(pattern) {
    for (let index = 0; index < pattern.length; index++) {
        if (IsOpenParen(pattern, index))
            return true;
    }
    return false;
}
// prettier-ignore
function Or(pattern) {
    let [count, start] = [0, 0];
    const expressions = [];
    for (let index = 0; index < pattern.length; index++) {
        if (IsOpenParen(pattern, index))
            count += 1;
        if (IsCloseParen(pattern, index))
            count -= 1;
        if (IsSeparator(pattern, index) && count === 0) {
            const range = pattern.slice(start, index);
            if (range.length > 0)
                expressions.push(TemplateLiteralParse(range));
            start = index + 1;
        }
    }
    const range = pattern.slice(start);
    if (range.length > 0)
        expressions.push(TemplateLiteralParse(range));
    if (expressions.length === 0)
        return { type: 'const', const: '' };
    if (expressions.length === 1)
        return expressions[0];
    return { type: 'or', expr: expressions };
}
// prettier-ignore
function And(pattern) {
    function Group(value, index) {
        if (!IsOpenParen(value, index))
            throw new TemplateLiteralParserError(`TemplateLiteralParser: Index must point to open parens`);
        let count = 0;
        for (let scan = index; scan < value.length; scan++) {
            if (IsOpenParen(value, scan))
                count += 1;
            if (IsCloseParen(value, scan))
                count -= 1;
            if (count === 0)
                return [index, scan];
        }
        throw new TemplateLiteralParserError(`TemplateLiteralParser: Unclosed group parens in expression`);
    }
    function Range(pattern, index) {
        for (let scan = index; scan < pattern.length; scan++) {
            if (IsOpenParen(pattern, scan))
                return [index, scan];
        }
        return [index, pattern.length];
    }
    const expressions = [];
    for (let index = 0; index < pattern.length; index++) {
        if (IsOpenParen(pattern, index)) {
            const [start, end] = Group(pattern, index);
            const range = pattern.slice(start, end + 1);
            expressions.push(TemplateLiteralParse(range));
            index = end;
        }
        else {
            const [start, end] = Range(pattern, index);
            const range = pattern.slice(start, end);
            if (range.length > 0)
                expressions.push(TemplateLiteralParse(range));
            index = end - 1;
        }
    }
    return ((expressions.length === 0) ? { type: 'const', const: '' } :
        (expressions.length === 1) ? expressions[0] :
            { type: 'and', expr: expressions });
}
// ------------------------------------------------------------------
// TemplateLiteralParse
// ------------------------------------------------------------------
/** Parses a pattern and returns an expression tree */
function TemplateLiteralParse(pattern) {
    // prettier-ignore
    return (IsGroup(pattern) ? TemplateLiteralParse(InGroup(pattern)) :
        IsPrecedenceOr(pattern) ? Or(pattern) :
            IsPrecedenceAnd(pattern) ? And(pattern) :
                { type: 'const', const: Unescape(pattern) });
}
// ------------------------------------------------------------------
// TemplateLiteralParseExact
// ------------------------------------------------------------------
/** Parses a pattern and strips forward and trailing ^ and $ */
function TemplateLiteralParseExact(pattern) {
    return TemplateLiteralParse(pattern.slice(1, pattern.length - 1));
}

// ------------------------------------------------------------------
// TemplateLiteralFiniteError
// ------------------------------------------------------------------
class TemplateLiteralFiniteError extends TypeBoxError {
}
// ------------------------------------------------------------------
// IsTemplateLiteralFiniteCheck
// ------------------------------------------------------------------
// prettier-ignore
function IsNumberExpression(expression) {
    return (expression.type === 'or' &&
        expression.expr.length === 2 &&
        expression.expr[0].type === 'const' &&
        expression.expr[0].const === '0' &&
        expression.expr[1].type === 'const' &&
        expression.expr[1].const === '[1-9][0-9]*');
}
// prettier-ignore
function IsBooleanExpression(expression) {
    return (expression.type === 'or' &&
        expression.expr.length === 2 &&
        expression.expr[0].type === 'const' &&
        expression.expr[0].const === 'true' &&
        expression.expr[1].type === 'const' &&
        expression.expr[1].const === 'false');
}
// prettier-ignore
function IsStringExpression(expression) {
    return expression.type === 'const' && expression.const === '.*';
}
// ------------------------------------------------------------------
// IsTemplateLiteralExpressionFinite
// ------------------------------------------------------------------
// prettier-ignore
function IsTemplateLiteralExpressionFinite(expression) {
    return (IsNumberExpression(expression) || IsStringExpression(expression) ? false :
        IsBooleanExpression(expression) ? true :
            (expression.type === 'and') ? expression.expr.every((expr) => IsTemplateLiteralExpressionFinite(expr)) :
                (expression.type === 'or') ? expression.expr.every((expr) => IsTemplateLiteralExpressionFinite(expr)) :
                    (expression.type === 'const') ? true :
                        (() => { throw new TemplateLiteralFiniteError(`Unknown expression type`); })());
}
/** Returns true if this TemplateLiteral resolves to a finite set of values */
function IsTemplateLiteralFinite(schema) {
    const expression = TemplateLiteralParseExact(schema.pattern);
    return IsTemplateLiteralExpressionFinite(expression);
}

// ------------------------------------------------------------------
// TemplateLiteralGenerateError
// ------------------------------------------------------------------
class TemplateLiteralGenerateError extends TypeBoxError {
}
// ------------------------------------------------------------------
// TemplateLiteralExpressionGenerate
// ------------------------------------------------------------------
// prettier-ignore
function* GenerateReduce(buffer) {
    if (buffer.length === 1)
        return yield* buffer[0];
    for (const left of buffer[0]) {
        for (const right of GenerateReduce(buffer.slice(1))) {
            yield `${left}${right}`;
        }
    }
}
// prettier-ignore
function* GenerateAnd(expression) {
    return yield* GenerateReduce(expression.expr.map((expr) => [...TemplateLiteralExpressionGenerate(expr)]));
}
// prettier-ignore
function* GenerateOr(expression) {
    for (const expr of expression.expr)
        yield* TemplateLiteralExpressionGenerate(expr);
}
// prettier-ignore
function* GenerateConst(expression) {
    return yield expression.const;
}
function* TemplateLiteralExpressionGenerate(expression) {
    return expression.type === 'and'
        ? yield* GenerateAnd(expression)
        : expression.type === 'or'
            ? yield* GenerateOr(expression)
            : expression.type === 'const'
                ? yield* GenerateConst(expression)
                : (() => {
                    throw new TemplateLiteralGenerateError('Unknown expression');
                })();
}
/** Generates a tuple of strings from the given TemplateLiteral. Returns an empty tuple if infinite. */
function TemplateLiteralGenerate(schema) {
    const expression = TemplateLiteralParseExact(schema.pattern);
    // prettier-ignore
    return (IsTemplateLiteralExpressionFinite(expression)
        ? [...TemplateLiteralExpressionGenerate(expression)]
        : []);
}

/** `[Json]` Creates a Literal type */
function Literal(value, options) {
    return CreateType({
        [Kind]: 'Literal',
        const: value,
        type: typeof value,
    }, options);
}

/** `[Json]` Creates a Boolean type */
function Boolean(options) {
    return CreateType({ [Kind]: 'Boolean', type: 'boolean' }, options);
}

/** `[Json]` Creates a Number type */
function Number$1(options) {
    return CreateType({ [Kind]: 'Number', type: 'number' }, options);
}

/** `[Json]` Creates a String type */
function String$1(options) {
    return CreateType({ [Kind]: 'String', type: 'string' }, options);
}

const PatternNumber = '(0|[1-9][0-9]*)';
const PatternString = '(.*)';
const PatternNever = '(?!.*)';
const PatternNumberExact = `^${PatternNumber}$`;
const PatternStringExact = `^${PatternString}$`;
const PatternNeverExact = `^${PatternNever}$`;

// prettier-ignore
function FromTemplateLiteral(templateLiteral) {
    const keys = TemplateLiteralGenerate(templateLiteral);
    return keys.map(key => key.toString());
}
// prettier-ignore
function FromUnion(types) {
    const result = [];
    for (const type of types)
        result.push(...IndexPropertyKeys(type));
    return result;
}
// prettier-ignore
function FromLiteral(literalValue) {
    return ([literalValue.toString()] // TS 5.4 observes TLiteralValue as not having a toString()
    );
}
/** Returns a tuple of PropertyKeys derived from the given TSchema */
// prettier-ignore
function IndexPropertyKeys(type) {
    return [...new Set((IsTemplateLiteral(type) ? FromTemplateLiteral(type) :
            IsUnion(type) ? FromUnion(type.anyOf) :
                IsLiteral(type) ? FromLiteral(type.const) :
                    IsNumber(type) ? ['[number]'] :
                        IsInteger(type) ? ['[number]'] :
                            []))];
}

/** Creates a RequiredArray derived from the given TProperties value. */
function RequiredArray(properties) {
    return globalThis.Object.keys(properties).filter((key) => !IsOptional(properties[key]));
}
/** `[Json]` Creates an Object type */
function _Object_(properties, options) {
    const required = RequiredArray(properties);
    const schema = required.length > 0 ? { [Kind]: 'Object', type: 'object', required, properties } : { [Kind]: 'Object', type: 'object', properties };
    return CreateType(schema, options);
}
// ------------------------------------------------------------------
// TypeScript 7: CommonJS TS2441
//
// TypeScript generates a CommonJS shim that patches local variables
// via an unqualified reference to Object (e.g. the __esModule shim's
// Object.defineProperty call). Other compiler tools have been
// observed patching in the same way, but TypeScript 7 has correctly
// begun flagging variables named Object in CommonJS, since they
// conflict with the shim and can cause "used before definition"
// errors. This is CommonJS-specific; no such shim exists for ESM.
//
// TypeBox works around this using a `var` declaration, which is
// known to avoid use-before-definition errors. TypeBox 1.x employs
// a similar strategy.
// ------------------------------------------------------------------
/** `[Json]` Creates an Object type */
// @ts-ignore - error TS2441: Duplicate identifier 'Object'. Compiler reserves name 'Object' in top level scope of a module.
var Object$1 = _Object_;

/** `[Json]` Creates a Null type */
function Null(options) {
    return CreateType({ [Kind]: 'Null', type: 'null' }, options);
}

// ------------------------------------------------------------------
// RecordCreateFromPattern
// ------------------------------------------------------------------
// prettier-ignore
function RecordCreateFromPattern(pattern, T, options) {
    return CreateType({ [Kind]: 'Record', type: 'object', patternProperties: { [pattern]: T } }, options);
}
// ------------------------------------------------------------------
// RecordCreateFromKeys
// ------------------------------------------------------------------
// prettier-ignore
function RecordCreateFromKeys(K, T, options) {
    const result = {};
    for (const K2 of K)
        result[K2] = T;
    return Object$1(result, { ...options, [Hint]: 'Record' });
}
// prettier-ignore
function FromTemplateLiteralKey(K, T, options) {
    return (IsTemplateLiteralFinite(K)
        ? RecordCreateFromKeys(IndexPropertyKeys(K), T, options)
        : RecordCreateFromPattern(K.pattern, T, options));
}
// prettier-ignore
function FromUnionKey(key, type, options) {
    return RecordCreateFromKeys(IndexPropertyKeys(Union(key)), type, options);
}
// prettier-ignore
function FromLiteralKey(key, type, options) {
    return RecordCreateFromKeys([key.toString()], type, options);
}
// prettier-ignore
function FromRegExpKey(key, type, options) {
    return RecordCreateFromPattern(key.source, type, options);
}
// prettier-ignore
function FromStringKey(key, type, options) {
    const pattern = IsUndefined$1(key.pattern) ? PatternStringExact : key.pattern;
    return RecordCreateFromPattern(pattern, type, options);
}
// prettier-ignore
function FromAnyKey(_, type, options) {
    return RecordCreateFromPattern(PatternStringExact, type, options);
}
// prettier-ignore
function FromNeverKey(_key, type, options) {
    return RecordCreateFromPattern(PatternNeverExact, type, options);
}
// prettier-ignore
function FromBooleanKey(_key, type, options) {
    return Object$1({ true: type, false: type }, options);
}
// prettier-ignore
function FromIntegerKey(_key, type, options) {
    return RecordCreateFromPattern(PatternNumberExact, type, options);
}
// prettier-ignore
function FromNumberKey(_, type, options) {
    return RecordCreateFromPattern(PatternNumberExact, type, options);
}
// ------------------------------------------------------------------
// TRecordOrObject
// ------------------------------------------------------------------
/** `[Json]` Creates a Record type */
function Record(key, type, options = {}) {
    // prettier-ignore
    return (IsUnion(key) ? FromUnionKey(key.anyOf, type, options) :
        IsTemplateLiteral(key) ? FromTemplateLiteralKey(key, type, options) :
            IsLiteral(key) ? FromLiteralKey(key.const, type, options) :
                IsBoolean(key) ? FromBooleanKey(key, type, options) :
                    IsInteger(key) ? FromIntegerKey(key, type, options) :
                        IsNumber(key) ? FromNumberKey(key, type, options) :
                            IsRegExp(key) ? FromRegExpKey(key, type, options) :
                                IsString(key) ? FromStringKey(key, type, options) :
                                    IsAny(key) ? FromAnyKey(key, type, options) :
                                        IsNever(key) ? FromNeverKey(key, type, options) :
                                            Never(options));
}

/** `[Json]` Creates an Integer type */
function Integer(options) {
    return CreateType({ [Kind]: 'Integer', type: 'integer' }, options);
}

// result.json's one definition. Each schema below is built with TypeBox, whose schemas ARE JSON
// Schema (draft 2020-12) objects: `checkResultJsonSchema` is the published schema, the CheckResult
// type is derived from it (`Static`), and result-validate.ts checks files against this very object.
// docs/result-schema.md documents each field. This module imports no other module of the report, so
// result.ts and result-validate.ts can both build on it without an import cycle.
//
// TypeBox's builders are imported one by one (not its `Type` namespace) so the bundle keeps only these.
/**
 * Bumped on a breaking change only (a field removed, renamed, retyped, or its meaning changed), and
 * when a new field is required. Adding an optional field is not breaking: readers ignore fields
 * they do not know. 2: `syscalls`.
 */
const RESULT_SCHEMA_VERSION = 2;
// ---------------------------------------------------------------------------------------------
// Building blocks
function nullable(schema) {
    return Union([schema, Null()]);
}
/** One of a few strings (`anyOf` of `const`s: JSON Schema's enum, and a union of literals in TypeScript). */
function oneOf(values) {
    return Union(values.map(v => Literal(v)));
}
const text = () => String$1();
const name = () => String$1({ minLength: 1 });
const ms = () => Number$1({ minimum: 0 });
const nullableMs = () => nullable(ms());
const count = (minimum = 0) => Integer({ minimum });
const VERDICTS = ['pass', 'fail', 'error'];
const verdict = oneOf(VERDICTS);
const version = Object$1({ version: name() });
// ---------------------------------------------------------------------------------------------
// A finding (the domain type is Finding in finding.ts; the check at the end keeps them equal)
const SEVERITIES = ['error', 'warning', 'note'];
const FINDING_SOURCES = ['console', 'qemu', 'preflight', 'probe', 'baseline', 'setup', 'trace'];
const findingSchema = Object$1({
    /** Stable id, e.g. `loader.missing-library`. */
    id: String$1({ pattern: '^[a-z][a-z0-9_.-]*$' }),
    severity: oneOf(SEVERITIES),
    line: nullable(Integer({ minimum: 1 })),
    evidence: text(),
    detail: nullable(text()),
    hint: text(),
    source: oneOf(FINDING_SOURCES),
    data: Optional(Record(String$1(), Union([String$1(), Number$1(), Boolean(), Null(), Array$1(String$1())]))),
    allowed: Optional(Boolean())
});
// ---------------------------------------------------------------------------------------------
// Probes, timeline, VM, baseline
const probeEvidenceSchema = Object$1({
    /** What the probe sent (request line, RESP command, argv), as text. */
    sent: Optional(text()),
    /** What came back (first bytes, status line, exit status, matched console line). */
    received: Optional(text()),
    /** ms since launch when the decisive answer (or its absence) was seen. */
    atMs: Optional(ms()),
    /** Anything else worth showing: why it failed, "guest never accepted the connection". */
    note: Optional(text())
});
const probeResultSchema = Object$1({
    /** `redis`, `http`, `tcp`, `console`, `exit` or `command` (the probe helper owns the list). */
    kind: name(),
    /** The probe as written: `redis:6379`, `http:80/health`, `console:Hello`. */
    target: text(),
    passed: Boolean(),
    /** Present and true when the probe could not judge (docs/probes.md): the verdict is then `error`. */
    inconclusive: Optional(Boolean()),
    attempts: count(),
    durationMs: ms(),
    evidence: probeEvidenceSchema
});
const timelineSchema = Object$1({
    /** Duration of setup (QEMU, KraftKit, kernel), ms. */
    setupMs: nullableMs(),
    /** Duration of the root filesystem build and preflight, ms. */
    buildMs: nullableMs(),
    /** When QEMU was spawned, ms since the check started. */
    launchMs: nullableMs(),
    /** First console output, ms since launch. */
    bootMs: nullableMs(),
    /** Unikraft banner, ms since launch. */
    bannerMs: nullableMs(),
    /** All probes passed, ms since launch. */
    readyMs: nullableMs(),
    /** QEMU exited, ms since launch. */
    exitMs: nullableMs()
});
const VM_END_REASONS = [
    'exited',
    'crashed',
    'panicked',
    'stopped',
    'killed',
    'deadline',
    'boot-timeout',
    'qemu-error'
];
const vmSummarySchema = Object$1({
    reason: oneOf(VM_END_REASONS),
    qemuExit: nullable(Integer()),
    guestExit: nullable(Integer()),
    debugExit: Union([Literal('halt'), Literal('crash'), Null()])
});
const baselineSummarySchema = Object$1({
    guest: Literal('linux'),
    verdict,
    findings: Array$1(findingSchema),
    /** kind `unikraft-gap`, `app-broken`, `both-pass`, `baseline-only-failure` or `inconclusive` (docs/findings.md). */
    differential: Object$1({ kind: name(), summary: text() })
});
const RESULT_ERROR_KINDS = ['configuration', 'infrastructure', 'inconclusive', 'interrupted', 'bug'];
// ---------------------------------------------------------------------------------------------
// System-call traces (issue 14): what each side called, and where Unikraft parted from Linux
const syscallSideSummarySchema = Object$1({
    /** Calls read from the trace (after truncation). */
    count: count(),
    /** True when the trace was cut (a call cap or a size cap): the counts are then a lower bound. */
    truncated: Boolean(),
    /** Lines that looked like a call but could not be read. */
    unreadable: count(),
    /** One entry per system call name, in order of its first call. */
    calls: Array$1(Object$1({
        syscall: name(),
        count: count(1),
        /** How many of those calls returned an error. */
        failed: count(),
        /** The distinct errno names it returned, in order of first appearance. */
        errnos: Array$1(name())
    }))
});
const DIVERGENCE_KINDS = ['different-result', 'not-reached', 'unsupported'];
const syscallDivergenceSchema = Object$1({
    /** `different-result`: both made the call, the outcomes differ; `unsupported`: the same, and Unikraft answered ENOSYS; `not-reached`: Linux made it, Unikraft had stopped before. */
    kind: oneOf(DIVERGENCE_KINDS),
    syscall: name(),
    /** The arguments as a tracer printed them (Unikraft's when it made the call). */
    args: text(),
    /** The call's result on each side (`3`, `0x0`, `ENOENT (-2)`); null when that side has no such call. */
    linux: nullable(text()),
    unikraft: nullable(text()),
    /** 0-based index of the call in each side's trace; null when that side has no such call. */
    linuxIndex: nullable(count()),
    unikraftIndex: nullable(count())
});
const syscallsSchema = Object$1({
    /** Which sides ran traced. */
    traced: Object$1({ unikraft: Boolean(), linux: Boolean() }),
    /** What a reader should know about the traces: a side that ran untraced and why, a cut trace. */
    notes: Array$1(text()),
    /** Per side, null when that side was not traced. */
    sides: Object$1({ unikraft: nullable(syscallSideSummarySchema), linux: nullable(syscallSideSummarySchema) }),
    /** The first call where Unikraft parted from Linux in a way that matters; null when none or not both traced. */
    divergence: nullable(syscallDivergenceSchema),
    /** Every call Unikraft answered ENOSYS, with how often; `tolerated`: glibc probes it and copes. */
    unsupported: Array$1(Object$1({ syscall: name(), count: count(1), tolerated: Boolean() }))
});
// ---------------------------------------------------------------------------------------------
// The result
/** An ISO 8601 date and time with seconds and a zone: what `Date.prototype.toISOString` writes. */
const ISO_8601 = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$';
const checkResultJsonSchema = Object$1({
    schemaVersion: Literal(RESULT_SCHEMA_VERSION),
    verdict,
    /** One sentence a person can read in a notification. */
    summary: text(),
    app: Object$1({ name: name(), dir: text() }),
    /** The requested matrix coordinates (`unikraft-version` as asked, e.g. `latest`), when known. */
    matrixCell: Optional(Object$1({ app: name(), version: name() })),
    guest: oneOf(['unikraft', 'linux']),
    accel: Union([Literal('kvm'), Literal('tcg'), Null()]),
    accelReason: nullable(text()),
    /** From the banner; codename and commit are null when only the version is known. */
    unikraft: nullable(Object$1({ version: name(), codename: nullable(text()), commit: nullable(text()) })),
    qemu: nullable(version),
    kraftkit: nullable(version),
    probes: Array$1(probeResultSchema),
    findings: Array$1(findingSchema),
    timeline: timelineSchema,
    /** Guest port (as a string key, JSON has no number keys) -> host port. */
    ports: Record(String$1({ pattern: '^[1-9][0-9]{0,4}$' }), Integer({ minimum: 1, maximum: 65535 }), {
        additionalProperties: false
    }),
    vm: nullable(vmSummarySchema),
    baseline: nullable(baselineSummarySchema),
    rootfs: nullable(Object$1({ kind: text(), entries: count(), bytes: count() })),
    /** File names, relative to the result's own directory. */
    artifacts: Array$1(text()),
    error: nullable(Object$1({ kind: oneOf(RESULT_ERROR_KINDS), message: text(), hint: Optional(text()) })),
    /** System-call traces; null when no trace was asked for. */
    syscalls: nullable(syscallsSchema),
    /** ISO 8601 wall-clock time the check started. */
    startedAt: String$1({ pattern: ISO_8601 }),
    durationMs: ms(),
    tool: Object$1({ name: Literal('unikraft-compat'), version: text() })
}, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/unikraft-compat/unikraft-compat/blob/main/docs/result-schema.md',
    title: 'unikraft-compat result',
    description: 'The result of one unikraft-compat check (result.json). Readers ignore unknown fields.'
});

/** Fills the VM part of the timeline from the runner's own (all ms since launch). */
function timelineFromVm(phases, vm) {
    return {
        ...phases,
        bootMs: vm?.firstOutputMs ?? null,
        bannerMs: vm?.bannerMs ?? null,
        readyMs: vm?.readyMs ?? null,
        exitMs: vm?.exitMs ?? null
    };
}
function vmSummaryFrom(vm) {
    return { reason: vm.reason, qemuExit: vm.qemuExit, guestExit: vm.guestExit, debugExit: vm.debugExit };
}
/** JSON object keys are strings: `{ 6379: 40123 }` -> `{ "6379": 40123 }`, sorted by guest port. */
function portsToJson(ports) {
    const out = {};
    for (const guest of Object.keys(ports)
        .map(Number)
        .sort((a, b) => a - b)) {
        out[String(guest)] = ports[guest];
    }
    return out;
}
/** An error finding that no allow-list accepted: these decide a `fail`. */
function isBlockingFinding(f) {
    return f.severity === 'error' && f.allowed !== true;
}
/** The finding that best names why a run failed: the first blocking one. */
function mainFinding(findings) {
    return findings.find(isBlockingFinding) ?? null;
}
/** `Unikraft 0.17.0 (Calypso)`, `the Linux baseline`, or `Unikraft` when the banner never came. */
function describeGuest(r) {
    if (r.guest === 'linux')
        return 'the Linux baseline';
    if (r.unikraft)
        return `Unikraft ${r.unikraft.version}${r.unikraft.codename ? ` (${r.unikraft.codename})` : ''}`;
    const asked = r.matrixCell?.version;
    return asked ? `Unikraft ${asked}` : 'Unikraft';
}
/**
 * The one-sentence `summary`: what ran where, and the reason when it did not pass. The pipeline may
 * write its own; this keeps the wording the same across the action, the CLI and the matrix.
 */
function summarize(r) {
    const where = describeGuest(r);
    const accel = r.accel ? ` under ${r.accel.toUpperCase()}` : '';
    if (r.verdict === 'error' && r.error?.kind === 'inconclusive') {
        return `${r.app.name} could not be judged on ${where}${accel}: ${firstSentence(r.error.message)}`;
    }
    if (r.verdict === 'error') {
        const msg = r.error ? firstSentence(r.error.message) : 'for an unknown reason';
        return `The check of ${r.app.name} could not be carried out: ${msg}`;
    }
    if (r.verdict === 'pass') {
        const n = r.probes.length;
        const ready = r.timeline.readyMs !== null ? `, ready ${formatMs(r.timeline.readyMs)} after launch` : '';
        const probes = n === 0 ? 'no probes' : `${n}/${n} probe${n === 1 ? '' : 's'} passed`;
        return `${r.app.name} passed on ${where}${accel}: ${probes}${ready}.`;
    }
    const main = mainFinding(r.findings);
    const failed = r.probes.find(p => !p.passed);
    let why;
    if (main)
        why = `${main.id}${main.detail ? ` (${main.detail})` : ''}`;
    else if (failed)
        why = `probe ${failed.target} failed`;
    else
        why = 'no probe passed';
    const gap = r.baseline ? `; ${r.baseline.differential.summary.replace(/\.$/, '')}` : '';
    return `${r.app.name} failed on ${where}${accel}: ${why}${gap}.`;
}
function firstSentence(text) {
    const line = text.split('\n')[0].trim();
    return /[.!?]$/.test(line) ? line : `${line}.`;
}
/** `812 ms`, `4.2 s`, `2 min 5 s`: short and exact enough for a report. */
function formatMs(ms) {
    if (Math.round(ms) < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const total = Math.round(ms / 1000);
    return `${Math.floor(total / 60)} min ${total % 60} s`;
}

export { checkResultJsonSchema as A, vmSummaryFrom as B, portsToJson as C, timelineFromVm as D, summarize as E, IsIntersect as I, Kind as K, Never as N, RESULT_SCHEMA_VERSION as R, TypeBoxError as T, IsUnion as a, IsTuple as b, IsArray as c, describeGuest as d, IsObject as e, formatMs as f, IsRecord as g, IsString$2 as h, IsArray$2 as i, IsBoolean$1 as j, IsBigInt$1 as k, IsDate$2 as l, mainFinding as m, IsNull$1 as n, IsNumber$1 as o, IsObject$2 as p, IsSymbol$1 as q, IsUint8Array$2 as r, IsUndefined$2 as s, TypeSystemPolicy as t, IsPromise$1 as u, IsIterator$1 as v, IsSchema as w, IsInteger$1 as x, IsFunction$1 as y, IsAsyncIterator$1 as z };
