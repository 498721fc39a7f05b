using System.Text.RegularExpressions;
using Herald.Fhir.Model;

namespace Herald.Fhir.Tests.Reference;

/// <summary>The hand-written date check against the grammar it implements, stated as a regular expression.</summary>
public sealed class FhirDateTests
{
    private static readonly Regex Grammar = new(FhirDate.Grammar, RegexOptions.CultureInvariant);

    private static readonly string[] Valid =
    [
        "2020", "2020-01", "2020-01-31", "2020-01-31T00:00", "2020-01-31T23:59:60", "2020-01-31T10:00:00.1234Z",
        "2020-01-31T10:00+14:00", "2020-01-31T10:00:00-13:59", "2020-01-31T19:05:07+00:00", "2020-02-29T10:00:00Z\n",
    ];

    [Theory]
    [InlineData("2020-01-31T24:00")]
    [InlineData("2020-01-31T10:60")]
    [InlineData("2020-01-31T10:00:61")]
    [InlineData("2020-01-31T10:00+14:01")]
    [InlineData("2020-01-31T10:00+15:00")]
    [InlineData("2020-01-31T10:00:00.Z")]
    [InlineData("2020-01-31T10:00Zx")]
    [InlineData("２０２０")]
    [InlineData("2020-01-31\n\n")]
    [InlineData(" 2020")]
    public void TextOutsideTheGrammarDoesNotFollowIt(string text)
    {
        Assert.DoesNotMatch(Grammar, text); // the statement of the grammar refuses it
        Assert.False(FhirDate.Follows(text));
    }

    [Fact]
    public void TheHandCheckAgreesWithTheGrammarOnEveryValidDateAndEveryOneCharacterChangeOfIt()
    {
        const string alphabet = "0123456789-T:Z+.\n x５";
        var disagreements = new List<string>();
        var tried = 0;
        foreach (var valid in Valid)
        {
            Assert.True(FhirDate.Follows(valid), valid);
            var variants = new List<string> { valid };
            for (var i = 0; i <= valid.Length; i++)
            {
                if (i < valid.Length)
                {
                    variants.Add(valid.Remove(i, 1));
                }

                foreach (var c in alphabet)
                {
                    variants.Add(valid.Insert(i, c.ToString()));
                    if (i < valid.Length)
                    {
                        variants.Add(valid.Remove(i, 1).Insert(i, c.ToString()));
                    }
                }
            }

            foreach (var text in variants)
            {
                tried++;
                if (Grammar.IsMatch(text) != FhirDate.Follows(text))
                {
                    disagreements.Add($"'{text}': grammar {Grammar.IsMatch(text)}");
                }
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(20)));
        Assert.True(tried > 5000, $"only {tried} texts tried");
    }

    [Fact]
    public void TheHandCheckAgreesWithTheGrammarOnRandomTextsOfDateCharacters()
    {
        const string alphabet = "0123456789-T:Z+.";
        var random = new Random(20261207);
        var matched = 0;
        for (var n = 0; n < 200_000; n++)
        {
            // Mostly well-placed separators, so that many texts get deep into the grammar.
            var chars = new char[random.Next(1, 32)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(3) > 0 && i is 4 or 7 ? '-' : random.Next(3) > 0 && i == 10 ? 'T' : random.Next(3) > 0 && i is 13 or 16 ? ':'
                    : random.Next(4) > 0 ? (char)('0' + random.Next(10)) : alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var expected = Grammar.IsMatch(text);
            Assert.True(expected == FhirDate.Follows(text), $"'{text}': grammar {expected}");
            matched += expected ? 1 : 0;
        }

        Assert.True(matched > 1000, $"only {matched} texts followed the grammar");
    }
}
