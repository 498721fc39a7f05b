using System.Text;
using Herald.Contracts;
using Herald.Contracts.Patients;
using static Herald.Tests.Contracts.PatientJson;

namespace Herald.Tests.Contracts;

/// <summary>
/// Text no reader can decode is an input error naming its place, never an exception: lone UTF-16 surrogate escapes,
/// bytes that are not UTF-8, Unicode digits where a date's ASCII digits belong.
/// </summary>
public sealed class MalformedEncodingTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static PatientReadResult ReadBytes(byte[] utf8) => PatientJsonReader.Read(utf8, Kb, Today);

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udfff")]
    [InlineData("x\\ud800\\u0041")]
    [InlineData("\\ud83d")]
    public void A_lone_surrogate_escape_in_a_value_is_an_error_at_its_path(string escape)
    {
        var json = Valid.Replace("\"hypothyroidism\"", $"\"{escape}\"", StringComparison.Ordinal);

        var result = Read(json);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("otherComorbidities[0]", error.Path);
        Assert.Contains("lone UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_written_as_two_escapes_is_text()
    {
        var json = Valid.Replace("\"hypothyroidism\"", "\"hypothyroidism \\ud83d\\ude00\"", StringComparison.Ordinal);

        Assert.True(Read(json).IsValid);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_member_name_is_an_error_at_its_path()
    {
        var json = Valid.Replace("\"ecog\"", "\"\\udc00\"", StringComparison.Ordinal);

        var error = Assert.Single(Read(json).Errors);
        Assert.Contains("member name", error.Message, StringComparison.Ordinal);
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_holding_a_lone_surrogate_character_is_an_error()
    {
        var json = Valid.Replace("hypothyroidism", "hypo\ud800thyroidism", StringComparison.Ordinal);

        var error = Assert.Single(Read(json).Errors);
        Assert.Equal("$", error.Path);
        Assert.Contains("lone UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_an_error_at_their_path_not_replaced()
    {
        var bytes = Utf8(Valid.Replace("hypothyroidism", "hypo@thyroidism", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'@')] = 0xFF;

        var error = Assert.Single(ReadBytes(bytes).Errors);
        Assert.Equal("otherComorbidities[0]", error.Path);
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_UTF8_encoding_is_not_UTF8()
    {
        var bytes = Utf8(Valid.Replace("hypothyroidism", "hypo@@thyroidism", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)'@');
        bytes[at] = 0xC0; // C0 AF: an overlong '/', which UTF-8 forbids.
        bytes[at + 1] = 0xAF;

        Assert.Contains(ReadBytes(bytes).Errors, e => e.Path == "otherComorbidities[0]" && e.Message.Contains("not UTF-8", StringComparison.Ordinal));
    }

    [Fact]
    public void A_byte_order_mark_is_allowed_as_RFC_8259_lets_a_reader_ignore_it()
    {
        byte[] bytes = [.. Encoding.UTF8.Preamble, .. Utf8(Valid)];

        Assert.True(ReadBytes(bytes).IsValid);
    }

    [Theory]
    [InlineData("２０２３-01-15")]
    [InlineData("2023-٠١-15")]
    [InlineData("2023-01-１５")]
    public void A_date_written_with_non_ASCII_digits_is_not_a_date(string date)
    {
        var json = Valid.Replace("\"2023-01-15\"", $"\"{date}\"", StringComparison.Ordinal);

        var error = Assert.Single(Read(json).Errors);
        Assert.Equal("receptors.her2.date", error.Path);
        Assert.Contains("not a date in the form YYYY-MM-DD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_screen_names_members_given_twice_when_asked()
    {
        var errors = StrictJson.Check(Utf8("""{"a":{"b":1,"b":2},"c":[{"d":1},{"d":1,"d":2}]}"""));

        Assert.Equal(["a.b", "c[1].d"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Equal("is given more than once.", e.Message));
    }

    [Fact]
    public void The_screen_leaves_members_given_twice_to_a_reader_that_reports_them_itself() =>
        Assert.Empty(StrictJson.Check(Utf8("""{"a":1,"a":2}"""), refuseDuplicateNames: false));

    [Fact]
    public void The_native_reader_still_names_a_member_given_twice_among_its_other_errors()
    {
        var json = Valid.Replace("\"ecog\": 1,", "\"ecog\": 1, \"ecog\": 2,", StringComparison.Ordinal)
            .Replace("\"age\": 54", "\"age\": 500", StringComparison.Ordinal);

        var errors = Read(json).Errors;

        Assert.Contains(errors, e => e.Path == "ecog" && e.Message == "is given more than once.");
        Assert.Contains(errors, e => e.Path == "age");
    }

    [Fact]
    public void A_huge_string_where_a_word_belongs_is_refused_at_once_without_a_suggestion()
    {
        // Edit distance against every known word would cost seconds for 400 kB; its length alone rules it out.
        var huge = new string('x', 400_000);
        var json = Valid.Replace("\"female\"", $"\"{huge}\"", StringComparison.Ordinal).Replace("\"ecog\"", $"\"{huge}\"", StringComparison.Ordinal);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var errors = Read(json).Errors;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.DoesNotContain("did you mean", e.Message, StringComparison.Ordinal));
        Assert.Null(Herald.Core.NameSuggestions.Closest(huge, ["female", "male"]));
    }
}
