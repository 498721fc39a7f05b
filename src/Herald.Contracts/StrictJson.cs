using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Herald.Contracts.Patients;

namespace Herald.Contracts;

/// <summary>
/// The screen every JSON input passes before it is read (RFC 8259 read strictly): the bytes are UTF-8, the text is
/// JSON, no string or name holds a lone UTF-16 surrogate escape (<c>"\ud800"</c>, which no .NET string can be made
/// from), nesting stays within a depth, and, when asked, no object names a member twice. Each fault names its place
/// as a JSON path (<c>entry[2].resource.code</c>, the document is <c>$</c>), so the caller can fix it; nothing is
/// replaced with U+FFFD and nothing is guessed.
/// </summary>
public static class StrictJson
{
    /// <summary>Deeper input is refused (a value nested 64 deep is far past any FHIR resource or patient).</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every fault found, in document order (a syntax error ends the scan); empty when the input is fine.</summary>
    /// <param name="refuseDuplicateNames">Whether a member given twice in one object is a fault (the native patient
    /// reader reports those itself, with every other problem).</param>
    public static IReadOnlyList<InputError> Check(ReadOnlySpan<byte> utf8, bool refuseDuplicateNames = true)
    {
        var errors = new List<InputError>();
        utf8 = utf8.StartsWith(Encoding.UTF8.Preamble) ? utf8[Encoding.UTF8.Preamble.Length..] : utf8;

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        // Paths are made only for a fault: a frame keeps its parent and its place in it, not its path as text.
        var frames = new Stack<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var parent = frames.Count == 0 ? null : frames.Peek();
                        var place = parent is null ? new Place(null, -1, "") : new Place(parent, parent.Index, parent.Name);
                        Advance(frames);
                        frames.Push(new Frame(place, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames.Peek();
                        var name = ReadName(ref reader, out var fault);
                        frame.Name = name ?? "?";
                        if (fault is not null)
                        {
                            errors.Add(new InputError(Path(frames), $"the member name {fault}."));
                        }
                        else if (refuseDuplicateNames && !frame.Names.Add(name!))
                        {
                            errors.Add(new InputError(Path(frames), "is given more than once."));
                        }

                        break;
                    case JsonTokenType.String:
                        if (TextFault(ref reader) is { } stringFault)
                        {
                            errors.Add(new InputError(Path(frames), $"{stringFault}."));
                        }

                        Advance(frames);
                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new InputError("$", SyntaxMessage(e)));
        }

        return errors;
    }

    /// <summary>
    /// Screens the input as <see cref="Check(ReadOnlySpan{byte}, bool)"/> does and parses it: the document when the input
    /// passes (dispose it), else no document and exactly the faults <c>Check</c> gives. The document reads the caller's
    /// bytes, which must not change while it is in use.
    /// </summary>
    public static bool TryParse(
        ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out JsonDocument? document, out IReadOnlyList<InputError> faults, bool refuseDuplicateNames = true)
    {
        faults = [];
        document = ParsePlainlyStrict(utf8, refuseDuplicateNames);
        if (document is not null)
        {
            return true;
        }

        // Something is or may be wrong: the full screen finds it and names its place.
        faults = Check(utf8.Span, refuseDuplicateNames);
        if (faults.Count > 0)
        {
            return false;
        }

        // Only a surrogate escape the quick pass could not judge brings a passed input here (its pair was there).
        document = JsonDocument.Parse(WithoutBom(utf8), new JsonDocumentOptions { MaxDepth = MaxDepth });
        return true;
    }

    /// <summary>
    /// The quick screen <see cref="TryParse"/> tries first: the document (dispose it; a byte order mark is skipped) when
    /// the input is plainly strict, or null when it may not be, with no fault named. A document here
    /// means <see cref="Check(ReadOnlySpan{byte}, bool)"/> finds nothing, for the same reasons: the bytes are UTF-8 (a
    /// string's bytes are part of them), no escape could spell a surrogate (<c>\u</c> then D8-DF; pairs fall to the full
    /// screen too), and the parser refuses what else the screen refuses (syntax, depth, a name given twice, compared
    /// once unescaped, as the screen's ordinal string comparison does for text that is UTF-8).
    /// </summary>
    public static JsonDocument? ParsePlainlyStrict(ReadOnlyMemory<byte> utf8, bool refuseDuplicateNames)
    {
        var json = WithoutBom(utf8);
        var span = json.Span;
        if (!Utf8.IsValid(span) || MayEscapeSurrogate(span))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = !refuseDuplicateNames });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether the bytes hold <c>\u</c> followed by D and 8-F anywhere (an escaped backslash too: this errs to "may").</summary>
    private static bool MayEscapeSurrogate(ReadOnlySpan<byte> utf8)
    {
        for (var at = utf8.IndexOf("\\u"u8); at >= 0; at = utf8.IndexOf("\\u"u8))
        {
            if (at + 3 < utf8.Length && (utf8[at + 2] | 0x20) == 'd' && (utf8[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F')))
            {
                return true;
            }

            utf8 = utf8[(at + 2)..];
        }

        return false;
    }

    /// <summary>The bytes without a leading UTF-8 byte order mark, which RFC 8259 lets a reader ignore (the screen does).</summary>
    public static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.StartsWith(Encoding.UTF8.Preamble) ? utf8[Encoding.UTF8.Preamble.Length..] : utf8;

    /// <summary>UTF-16 text as the UTF-8 the screen reads; a lone surrogate in it is a fault of the whole text.</summary>
    public static IReadOnlyList<InputError> Check(string text, bool refuseDuplicateNames, out byte[] utf8)
    {
        try
        {
            utf8 = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            utf8 = [];
            return [new InputError("$", $"holds a lone UTF-16 surrogate (character {e.Index + 1}); it is not Unicode text.")];
        }

        return Check(utf8, refuseDuplicateNames);
    }

    /// <summary>A JSON reader's syntax error, said once with a 1-based line and position.</summary>
    public static string SyntaxMessage(JsonException e)
    {
        // System.Text.Json ends its message with "LineNumber: 2 | BytePositionInLine: 7."; say it once, 1-based.
        var detail = e.Message;
        var cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            detail = detail[..cut];
        }

        detail = detail.TrimEnd().TrimEnd('.');
        return e.LineNumber is { } line
            ? $"is not valid JSON at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {detail}."
            : $"is not valid JSON: {detail}.";
    }

    /// <summary>A member name's text, or null with the fault when its bytes are not UTF-8 or it escapes a lone surrogate.</summary>
    private static string? ReadName(ref Utf8JsonReader reader, out string? fault)
    {
        fault = TextFault(ref reader);
        return fault is null ? reader.GetString() : null;
    }

    /// <summary>Why the token's text is refused, or null when it is fine; a string value is checked without being made.</summary>
    private static string? TextFault(ref Utf8JsonReader reader)
    {
        // The reader checks JSON syntax and escape sequences but not the UTF-8 inside strings, nor surrogate pairing.
        var raw = reader.ValueSpan; // Read from one span, never a sequence.
        if (!Utf8.IsValid(raw))
        {
            return "holds bytes that are not UTF-8";
        }

        return reader.ValueIsEscaped && HasLoneSurrogateEscape(raw)
            ? "holds a lone UTF-16 surrogate escape (\\uD800-\\uDFFF without its pair)"
            : null;
    }

    private static bool HasLoneSurrogateEscape(ReadOnlySpan<byte> raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\')
            {
                continue;
            }

            i++;
            if (raw[i] != 'u')
            {
                continue;
            }

            var unit = Hex(raw.Slice(i + 1, 4));
            i += 4;
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                // A high surrogate must be followed at once by an escaped low one.
                if (i + 6 < raw.Length && raw[i + 1] == '\\' && raw[i + 2] == 'u' && Hex(raw.Slice(i + 3, 4)) is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 6;
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            value = (value << 4) | (d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
        }

        return value;
    }

    private static void Advance(Stack<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var frame = frames.Peek();
        if (frame.IsArray)
        {
            frame.Index++;
        }
    }

    /// <summary>The path of the value about to be read (or, after a name, of that member).</summary>
    private static string Path(Stack<Frame> frames) =>
        frames.Count == 0 ? "$" : PathOf(new Place(frames.Peek(), frames.Peek().Index, frames.Peek().Name));

    /// <summary>The path of a value at a place: in an array after the item at an index, or under a name.</summary>
    private static string PathOf(Place place)
    {
        if (place.Container is not { } container)
        {
            return "$";
        }

        var containerPath = PathOf(container.Place);
        var parent = containerPath == "$" ? "" : containerPath;
        if (container.IsArray)
        {
            return $"{(parent.Length == 0 ? "$" : parent)}[{place.Index + 1}]";
        }

        return parent.Length == 0 ? place.Name : $"{parent}.{place.Name}";
    }

    /// <summary>Where a container sits in its parent: the parent, the parent's item index before it, the member name.</summary>
    private readonly record struct Place(Frame? Container, int Index, string Name);

    private sealed class Frame(Place place, bool isArray)
    {
        public Place Place { get; } = place;

        public bool IsArray { get; } = isArray;

        /// <summary>The index of the last item read; -1 before the first.</summary>
        public int Index { get; set; } = -1;

        public string Name { get; set; } = "";

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
