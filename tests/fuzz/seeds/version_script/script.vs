{
  global:
    malloc;
    "odd.name";
  local:
    *;
};
