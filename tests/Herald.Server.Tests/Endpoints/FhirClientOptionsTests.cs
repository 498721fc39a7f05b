using Herald.Server.Hosting;

namespace Herald.Server.Tests.Endpoints;

/// <summary>The FHIR client's settings are checked at start, every fault named, rather than failing each call.</summary>
public sealed class FhirClientOptionsTests
{
    [Fact]
    public void The_defaults_are_usable_and_read_up_to_a_hundred_pages()
    {
        var options = new FhirClientOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(100, options.MaxPages);
    }

    [Fact]
    public void Every_unusable_setting_is_named()
    {
        var options = new FhirClientOptions
        {
            AttemptTimeout = TimeSpan.Zero,
            TotalTimeout = TimeSpan.FromDays(2),
            Retries = -1,
            MaxPages = 0,
        };

        var faults = options.Validate();

        Assert.Equal(4, faults.Count);
        Assert.Contains(faults, f => f.StartsWith("Herald:Fhir:AttemptTimeout", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("Herald:Fhir:TotalTimeout", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("Herald:Fhir:Retries", StringComparison.Ordinal));
        Assert.Contains(faults, f => f.StartsWith("Herald:Fhir:MaxPages", StringComparison.Ordinal));
    }

    [Fact]
    public void The_server_does_not_start_with_an_unusable_setting()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21), new Dictionary<string, string?> { ["Herald:Fhir:MaxPages"] = "0" });

        var error = Assert.Throws<InvalidOperationException>(() => host.CreateClient());

        Assert.Contains("Herald:Fhir:MaxPages must be 1 or more", error.Message, StringComparison.Ordinal);
    }
}
