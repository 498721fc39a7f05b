using System.Text;
using Herald.Contracts.Output;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Contracts;

public class DecisionJsonStreamTests
{
    [Fact]
    public void Writing_to_a_stream_gives_the_same_bytes_as_the_string()
    {
        var decision = Decide(Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", ["pertuzumab", "trastuzumab", "docetaxel"]));
        using var stream = new MemoryStream();

        DecisionJson.Write(decision, stream);

        Assert.Equal(Encoding.UTF8.GetBytes(DecisionJson.Serialize(decision)), stream.ToArray());
    }
}
