using System.Text;
using Herald.Server.CdsHooks;
using static Herald.Server.Tests.Cards.CardTestKit;

namespace Herald.Server.Tests.Cards;

/// <summary>The answer is written as UTF-8 by the generated fast path; its bytes are those of the text serializer.</summary>
public sealed class CdsHooksJsonTests
{
    public static TheoryData<string> Examples => [.. ExampleFiles().Select(Path.GetFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_UTF8_answer_is_the_text_answer_s_bytes(string example)
    {
        var response = PatientViewCards.BuildResponse(Decide(Example(example)), Context());

        var bytes = CdsHooksJson.SerializeToUtf8(response);

        Assert.Equal(Encoding.UTF8.GetBytes(CdsHooksJson.Serialize(response)), bytes);
        // The relaxed escaping is kept: dashes and quotes stay readable, not \u escapes.
        Assert.Contains("—", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain("\\u2014", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void Answers_serialised_one_after_another_on_a_thread_do_not_share_bytes()
    {
        var first = CdsHooksJson.SerializeToUtf8(PatientViewCards.BuildResponse(Decide(Example("seed-case-1.json")), Context()));
        var second = CdsHooksJson.SerializeToUtf8(PatientViewCards.BuildResponse(Decide(Example("seed-case-2.json")), Context()));
        var firstAgain = CdsHooksJson.SerializeToUtf8(PatientViewCards.BuildResponse(Decide(Example("seed-case-1.json")), Context()));

        Assert.Equal(first, firstAgain);
        Assert.NotEqual(first, second);
    }
}
