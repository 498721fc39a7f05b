using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Herald.Contracts;

namespace Herald.Tests.Contracts;

/// <summary>
/// <see cref="StrictJson.TryParse"/> parses without the full screen when the input is plainly strict; it must refuse
/// exactly what <see cref="StrictJson.Check(ReadOnlySpan{byte}, bool)"/> refuses, with the same faults, over JSON made
/// to hit every rule: names given twice (plainly, escaped, in large objects), escapes, surrogate pairs and lone
/// halves, bytes that are not UTF-8, deep nesting, a byte order mark, and random damage to all of these.
/// </summary>
public sealed class StrictJsonParseProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true);

    // Names and texts that collide once unescaped ("a" and "\u0061"), differ only in case, or hold surrogate escapes.
    private static readonly string[] Names =
        ["a", "b", "A", "\\u0061", "é", "\\u00e9", "\\u00E9", "😀", "\\ud83d\\ude00", "\\uD83D\\uDE00", "\\ud800", "x\\udc00", "\\\\ud800", "", "resourceType", "\\n"];

    private static readonly byte[][] Damage =
    [
        [0x80], [0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBB, 0xBF],
        "\""u8.ToArray(), "\\"u8.ToArray(), ","u8.ToArray(), "}"u8.ToArray(), "]"u8.ToArray(), "\\u"u8.ToArray(), "\\ud8"u8.ToArray(),
    ];

    private static Gen<string> Value(int size) => size <= 0
        ? Scalar
        : Gen.Frequency(
            (3, Scalar),
            (2, Gen.ListOf(Member(size / 2)).Select(members => "{" + string.Join(",", members) + "}")),
            (1, Gen.ListOf(Value(size / 2)).Select(items => "[" + string.Join(",", items) + "]")),
            (1, BigObject));

    private static Gen<string> Member(int size) =>
        from name in Gen.Elements(Names)
        from value in Value(size)
        select $"\"{name}\":{value}";

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Elements("1", "-0.5e3", "true", "false", "null", "\"\""),
        Gen.Elements(Names).Select(n => $"\"{n}\""),
        Gen.Choose(0, 0x10FFFF).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => $"\"{char.ConvertFromUtf32(c).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\""));

    // Many members, so a parser's duplicate check for large objects (not pairwise) is reached too.
    private static readonly Gen<string> BigObject =
        from count in Gen.Choose(10, 60)
        from twice in Gen.Elements(true, false)
        from escaped in Gen.Elements(true, false)
        select "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"m{i}\":{i}")
            .Concat(twice ? [escaped ? $"\"\\u006d{count / 2}\":0" : $"\"m{count / 2}\":0"] : Array.Empty<string>())) + "}";

    private static Gen<string> Nested =>
        from depth in Gen.Choose(60, 70)
        from objects in Gen.Elements(true, false)
        select objects
            ? string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "1" + new string('}', depth - 1)
            : new string('[', depth) + new string(']', depth);

    private static Gen<byte[]> Damaged(Gen<byte[]> inputs) =>
        from input in inputs
        from at in Gen.Choose(0, Math.Max(0, input.Length))
        from damage in Gen.Elements(Damage)
        from replace in Gen.Elements(true, false)
        select input[..at].Concat(damage).Concat(input[Math.Min(input.Length, at + (replace ? damage.Length : 0))..]).ToArray();

    private static readonly Gen<byte[]> Inputs = Gen.Sized(size =>
    {
        var texts = Gen.Frequency((6, Value(Math.Min(size, 24))), (1, Nested)).Select(Encoding.UTF8.GetBytes);
        var withBom = texts.SelectMany(t => Gen.Elements(t, [0xEF, 0xBB, 0xBF, .. t]));
        return Gen.Frequency((2, withBom), (2, Damaged(withBom)), (1, Damaged(Damaged(withBom))));
    });

    private static void ForAllInputs(Action<byte[]> property) =>
        Prop.ForAll(Inputs.ToArbitrary(), property).Check(Config);

    [Fact]
    public void The_parse_refuses_exactly_what_the_full_screen_refuses_with_the_same_faults()
    {
        ForAllInputs(bytes =>
        {
            foreach (var refuseDuplicates in new[] { true, false })
            {
                var screened = StrictJson.Check(bytes, refuseDuplicates);

                var parsed = StrictJson.TryParse(bytes, out var document, out var faults, refuseDuplicates);

                using (document)
                {
                    Assert.Equal(screened.Count == 0, parsed);
                    Assert.Equal(parsed, document is not null);
                    Assert.Equal(screened.Select(f => (f.Path, f.Message)), faults.Select(f => (f.Path, f.Message)));
                }
            }
        });
    }

    [Fact]
    public void The_quick_screen_passes_only_what_the_full_screen_passes_and_all_of_it_without_a_surrogate_escape()
    {
        ForAllInputs(bytes =>
        {
            foreach (var refuseDuplicates in new[] { true, false })
            {
                var strict = StrictJson.Check(bytes, refuseDuplicates).Count == 0;

                using var quick = StrictJson.ParsePlainlyStrict(bytes, refuseDuplicates);

                if (quick is not null)
                {
                    Assert.True(strict, Encoding.UTF8.GetString(bytes));
                }
                else if (strict)
                {
                    // The one input the quick screen leaves to the full one: an escape that could spell a surrogate.
                    Assert.Matches("\\\\u[dD][89a-fA-F]", Encoding.UTF8.GetString(bytes));
                }
            }
        });
    }

    [Theory]
    [InlineData("""{"a":1,"\u0061":2}""", "a")]
    [InlineData("""{"x":{"é":1,"\u00e9":2}}""", "x.é")]
    [InlineData("""[{"😀":1,"\ud83d\ude00":2}]""", "$[0].😀")]
    public void A_name_given_once_plainly_and_once_escaped_is_refused_as_given_twice(string json, string path)
    {
        Assert.False(StrictJson.TryParse(Encoding.UTF8.GetBytes(json), out var document, out var faults));

        Assert.Null(document);
        var fault = Assert.Single(faults);
        Assert.Equal(path, fault.Path);
        Assert.Equal("is given more than once.", fault.Message);
    }

    [Fact]
    public void A_surrogate_pair_written_as_two_escapes_is_parsed()
    {
        Assert.True(StrictJson.TryParse("""{"a":"\ud83d\ude00"}"""u8.ToArray(), out var document, out var faults));

        using (document)
        {
            Assert.Empty(faults);
            Assert.Equal("😀", document.RootElement.GetProperty("a").GetString());
        }
    }

    [Fact]
    public void Nesting_is_parsed_to_the_screens_depth_and_refused_one_deeper()
    {
        var deepest = Encoding.UTF8.GetBytes(new string('[', StrictJson.MaxDepth) + new string(']', StrictJson.MaxDepth));
        var deeper = Encoding.UTF8.GetBytes(new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1));

        Assert.True(StrictJson.TryParse(deepest, out var document, out _));
        document.Dispose();
        Assert.False(StrictJson.TryParse(deeper, out _, out var faults));
        var fault = Assert.Single(faults);
        Assert.Equal("$", fault.Path);
        Assert.Contains("depth", fault.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_and_bytes_that_are_not_utf8_are_named_at_their_string()
    {
        Assert.True(StrictJson.TryParse("\uFEFF{\"a\":1}"u8.ToArray(), out var document, out _));
        Assert.Equal(1, document.RootElement.GetProperty("a").GetInt32());
        document.Dispose();

        Assert.False(StrictJson.TryParse((byte[])[.. "{\"a\":[\"x"u8, 0xC3, .. "\"]}"u8], out _, out var faults));

        var fault = Assert.Single(faults);
        Assert.Equal("a[0]", fault.Path);
        Assert.Equal("holds bytes that are not UTF-8.", fault.Message);
    }
}
