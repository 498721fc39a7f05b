using System.Globalization;
using System.Text.RegularExpressions;
using Herald.Core.Knowledge;
using Herald.Tests.Support;

namespace Herald.Tests.Knowledge;

/// <summary>
/// The forest plot draws hazard ratios read from the trial results' own text, so the reading must give exactly the
/// figures the text states, and nothing where the text gives no confidence interval.
/// </summary>
public sealed partial class HazardRatioTests
{
    [Fact]
    public void Every_stated_hazard_ratio_with_its_interval_is_read_exactly()
    {
        var read = 0;
        foreach (var result in TestKnowledge.Kb.Trials.SelectMany(t => t.Results))
        {
            var stated = Stated().Match(result.Text);
            if (!stated.Success)
            {
                Assert.Null(result.HazardRatio);
                continue;
            }

            var hr = Assert.IsType<HazardRatio>(result.HazardRatio);
            Assert.Equal(Number(stated.Groups["value"]), hr.Value);
            Assert.Equal(Number(stated.Groups["lower"]), hr.Lower);
            Assert.Equal(Number(stated.Groups["upper"]), hr.Upper);
            Assert.InRange(hr.Value, hr.Lower, hr.Upper);
            read++;
        }

        Assert.True(read >= 20, $"only {read} hazard ratios read");
    }

    [Fact]
    public void A_hazard_ratio_without_an_interval_is_not_given_one()
    {
        var withoutInterval = TestKnowledge.Kb.Trials.SelectMany(t => t.Results)
            .Where(r => r.Text.Contains("HR ", StringComparison.Ordinal) && !Stated().IsMatch(r.Text))
            .ToArray();

        Assert.NotEmpty(withoutInterval);
        Assert.All(withoutInterval, r => Assert.Null(r.HazardRatio));
    }

    [Fact]
    public void The_first_stated_hazard_ratio_is_the_one_read_when_the_text_gives_two()
    {
        var twice = TestKnowledge.Kb.Trials.SelectMany(t => t.Results)
            .First(r => Stated().Matches(r.Text).Count > 1);

        Assert.Equal(Number(Stated().Match(twice.Text).Groups["value"]), twice.HazardRatio!.Value);
    }

    private static double Number(Group group) => double.Parse(group.Value, CultureInfo.InvariantCulture);

    // Written independently of the compiler's pattern: "HR 0.62 (0.51-0.75)".
    [GeneratedRegex(@"HR (?<value>[0-9.]+) \((?<lower>[0-9.]+)-(?<upper>[0-9.]+)\)")]
    private static partial Regex Stated();
}
