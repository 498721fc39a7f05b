using System.Numerics;

namespace Herald.Core.Knowledge;

/// <summary>
/// A set of agents as a bit mask over <see cref="Agent.Index"/>. Sets are values: combining them
/// allocates nothing, which keeps a decision cheap (see docs/performance.md).
/// </summary>
public readonly record struct AgentSet(UInt128 Bits)
{
    public const int Capacity = 128;

    public static readonly AgentSet Empty = new(UInt128.Zero);

    public static AgentSet Of(int index) => new(UInt128.One << index);

    public static AgentSet Of(IEnumerable<Agent> agents)
    {
        var bits = UInt128.Zero;
        foreach (var agent in agents)
        {
            bits |= UInt128.One << agent.Index;
        }

        return new AgentSet(bits);
    }

    public bool IsEmpty => Bits == UInt128.Zero;

    public int Count => (int)UInt128.PopCount(Bits);

    public bool Contains(Agent agent) => (Bits & (UInt128.One << agent.Index)) != UInt128.Zero;

    public bool Overlaps(AgentSet other) => (Bits & other.Bits) != UInt128.Zero;

    public bool IsSubsetOf(AgentSet other) => (Bits & ~other.Bits) == UInt128.Zero;

    public AgentSet Union(AgentSet other) => new(Bits | other.Bits);

    public AgentSet Intersect(AgentSet other) => new(Bits & other.Bits);

    public AgentSet Except(AgentSet other) => new(Bits & ~other.Bits);

    public static AgentSet operator |(AgentSet a, AgentSet b) => a.Union(b);

    public static AgentSet operator &(AgentSet a, AgentSet b) => a.Intersect(b);

    /// <summary>Agent indices in ascending order, which is knowledge-base order.</summary>
    public IEnumerable<int> Indices()
    {
        var bits = Bits;
        while (bits != UInt128.Zero)
        {
            var index = (int)UInt128.TrailingZeroCount(bits);
            yield return index;
            bits &= bits - UInt128.One;
        }
    }
}
