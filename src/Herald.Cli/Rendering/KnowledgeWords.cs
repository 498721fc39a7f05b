using System.Globalization;
using System.Text;
using Herald.Core.Conditions;
using Herald.Core.Knowledge;

namespace Herald.Cli.Rendering;

/// <summary>How the kb listings name knowledge-base values: the kebab-case words of the knowledge files.</summary>
internal static class KnowledgeWords
{
    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Components(Regimen regimen) =>
        string.Join(" + ", regimen.Components.Select(c => c.Agent is { } a ? a.Id : $"any {c.Group!.Id}"));

    public static string Trials(IEnumerable<Trial> trials) => string.Join(", ", trials.Select(t => t.Id));

    public static string Routes(Agent agent) => string.Join(", ", agent.Routes.Select(r => r.Id()));

    public static string RxNorm(Agent agent) =>
        agent.RxNorm is { } code ? $"{code.Code} ({code.Confidence.Id()})" : "";

    public static string Editions(Edition edition) => string.Join(", ", edition.Includes.Select(e => e.Id));

    public static string Sources(Edition edition) => string.Join(", ", edition.Sources.Select(s => s.Id));

    public static string AgentFactMeaning(AgentFactDefinition fact) =>
        string.Format(CultureInfo.InvariantCulture, fact.MeaningFormat, "the agent or group named");
}
