package dev.steward.sendgrid.mail;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SendGrid unsubscribe group (ASM) a category's mail belongs to, and the groups its
 * subscription page offers.
 *
 * @param groupId the group's id
 * @param groupsToDisplay the groups shown on the preferences page (at most 25, no repeats)
 */
public record AsmGroup(int groupId, List<Integer> groupsToDisplay) {
  /** Checks the ids and SendGrid's limit of 25 groups to display. */
  public AsmGroup {
    if (groupId <= 0) {
      throw new InvalidMailException("ASM group id must be positive, not " + groupId);
    }
    groupsToDisplay = List.copyOf(groupsToDisplay);
    if (groupsToDisplay.size() > MailLimit.GROUPS_TO_DISPLAY.max()) {
      throw new InvalidMailException(
          MailLimit.GROUPS_TO_DISPLAY,
          "ASM group "
              + groupId
              + " displays "
              + groupsToDisplay.size()
              + " groups; SendGrid allows at most "
              + MailLimit.GROUPS_TO_DISPLAY.max());
    }
    Set<Integer> seen = new HashSet<>();
    for (int g : groupsToDisplay) {
      if (g <= 0 || !seen.add(g)) {
        throw new InvalidMailException(
            "ASM group " + groupId + " displays group " + g + " twice or as a non-positive id");
      }
    }
  }

  /** A group and the groups to display with it. */
  public static AsmGroup of(int groupId, int... groupsToDisplay) {
    return new AsmGroup(groupId, java.util.Arrays.stream(groupsToDisplay).boxed().toList());
  }
}
