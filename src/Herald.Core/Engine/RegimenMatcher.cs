using Herald.Core.Knowledge;

namespace Herald.Core.Engine;

/// <summary>
/// Relates the agents a patient received to the knowledge base's regimens: which regimen a line was,
/// and whether progression on a line rules a regimen out.
/// </summary>
public static class RegimenMatcher
{
    /// <summary>
    /// The most specific standard regimen whose slots exactly cover the agents (a group slot may take
    /// several agents, e.g. carboplatin + docetaxel as "chemotherapy"). Endocrine therapy added during
    /// maintenance is ignored if nothing matches with it.
    /// </summary>
    public static Regimen? Match(AgentSet agents, KnowledgeBase kb)
    {
        return BestCover(agents, kb) ?? BestCover(agents.Except(kb.Endocrine), kb);
    }

    private static Regimen? BestCover(AgentSet agents, KnowledgeBase kb)
    {
        if (agents.IsEmpty)
        {
            return null;
        }

        Regimen? best = null;
        foreach (var regimen in kb.Regimens.Fast())
        {
            if (regimen.IsPlaceholder || !Covers(regimen, agents))
            {
                continue;
            }

            if (best is null || regimen.RequiredAgents.Count > best.RequiredAgents.Count)
            {
                best = regimen;
            }
        }

        return best;
    }

    private static bool Covers(Regimen regimen, AgentSet agents)
    {
        if (!regimen.RequiredAgents.IsSubsetOf(agents))
        {
            return false;
        }

        var rest = agents.Except(regimen.RequiredAgents);
        var groupMembers = AgentSet.Empty;
        foreach (var component in regimen.Components.Fast())
        {
            if (component.Group is null)
            {
                continue;
            }

            if (!component.Group.Members.Overlaps(rest))
            {
                return false;
            }

            groupMembers |= component.Group.Members;
        }

        return rest.IsSubsetOf(groupMembers);
    }

    /// <summary>How far progression on a line rules a regimen out.</summary>
    public static Hit ProgressionHit(Regimen regimen, TherapyLine line, KnowledgeBase kb) =>
        ProgressionHit(regimen, line.Agents, line.MatchedRegimen, kb);

    /// <summary>How far relapse during or soon after an early-disease regimen rules a regimen out: as progression on a line.</summary>
    public static Hit ProgressionHit(Regimen regimen, EarlyFailure failure, KnowledgeBase kb) =>
        ProgressionHit(regimen, failure.Agents, failure.MatchedRegimen, kb);

    /// <summary>
    /// Which regimens an early-disease regimen of unknown end may have failed: those progression on it would rule out,
    /// and, cautiously, those whose HER2-directed agents all came from it with a fixed partner and no open slot
    /// (neratinib + capecitabine after extended adjuvant neratinib), since this only weighs against, never excludes.
    /// </summary>
    public static Hit PossibleProgressionHit(Regimen regimen, UndatedEarlyRegimen undated, KnowledgeBase kb)
    {
        var hit = ProgressionHit(regimen, undated.Agents, undated.MatchedRegimen, kb);
        if (hit != Hit.None || regimen.IsPlaceholder)
        {
            return hit;
        }

        var backbone = regimen.RequiredAgents & kb.Her2Directed;
        var sameBackbone = !backbone.IsEmpty && backbone.IsSubsetOf(undated.Agents);
        var openSlot = false;
        foreach (var component in regimen.Components.Fast())
        {
            openSlot |= component.Group is not null;
        }

        return sameBackbone && !openSlot ? Hit.Full : Hit.None;
    }

    private static Hit ProgressionHit(Regimen regimen, AgentSet lineAgents, Regimen? lineRegimen, KnowledgeBase kb)
    {
        if (regimen.IsPlaceholder)
        {
            return Hit.None;
        }

        if (lineRegimen is { } matched && matched.Family == regimen.Family)
        {
            // Progression on "trastuzumab + capecitabine" rules out capecitabine, not trastuzumab with
            // another chemotherapy; a family member with a different named partner is ruled out whole.
            return matched == regimen && regimen.Components.Any(c => c.Group is not null) ? Hit.Partial : Hit.Full;
        }

        var backbone = regimen.RequiredAgents & kb.Her2Directed;
        var lineBackbone = lineAgents & kb.Her2Directed;
        if (backbone.IsEmpty || !backbone.IsSubsetOf(lineBackbone))
        {
            return Hit.None;
        }

        if (!regimen.RequiredAgents.Except(kb.Her2Directed).IsSubsetOf(lineAgents))
        {
            return Hit.None;
        }

        var hasOpenSlot = false;
        foreach (var component in regimen.Components.Fast())
        {
            if (component.Group is not null)
            {
                hasOpenSlot = true;
                if (component.Group.Members.Overlaps(lineAgents))
                {
                    // The same anti-HER2 backbone with a partner the patient progressed on:
                    // another partner remains possible.
                    return Hit.Partial;
                }
            }
        }

        return hasOpenSlot ? Hit.None : Hit.Full;
    }

    /// <summary>
    /// How far a set of agents (an allergy, an unavailable drug) rules a regimen out: fully when the
    /// regimen needs one of them, partly when only some choices for an open slot are affected.
    /// </summary>
    public static Hit AgentHit(Regimen regimen, AgentSet regimenAgents, AgentSet targeted)
    {
        if (targeted.IsEmpty)
        {
            return Hit.None;
        }

        if (regimenAgents.Overlaps(targeted))
        {
            return Hit.Full;
        }

        var partial = false;
        foreach (var component in regimen.Components.Fast())
        {
            if (component.Group is null || !component.Group.Members.Overlaps(targeted))
            {
                continue;
            }

            if (component.Group.Members.IsSubsetOf(targeted))
            {
                return Hit.Full;
            }

            partial = true;
        }

        return partial ? Hit.Partial : Hit.None;
    }
}

public enum Hit
{
    None,

    /// <summary>Some choices for an open slot are affected; the regimen stays, with a caution.</summary>
    Partial,

    /// <summary>The regimen as a whole is affected.</summary>
    Full,

    /// <summary>Progressed on, but a statement in force allows re-treatment: a note, not an exclusion.</summary>
    Retreatment,
}
