// FollowUpPlans
