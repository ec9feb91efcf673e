package dev.steward.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every public type of the package is one a user constructs, receives or implements: an interface
 * (implemented: the stores, the listener), an exception (thrown), a type with a public static entry
 * point returning it or its builder (constructed), or a type that appears in a public signature of
 * another public type of Steward (received or passed). A public type that is none of these is an
 * internal that leaked, and belongs package-private.
 */
class GovernanceApiSurfaceTest {

  private static final List<Class<?>> STEWARD_PUBLIC_TYPES = publicTypes("dev.steward");

  private static List<Class<?>> publicTypes(String pkg) {
    List<Class<?>> out = new ArrayList<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(pkg)) {
      Class<?> type = c.reflect();
      if (Modifier.isPublic(type.getModifiers())) {
        out.add(type);
      }
    }
    return out;
  }

  @Test
  void everyPublicTypeIsConstructedReceivedOrImplemented() {
    List<String> leaked = new ArrayList<>();
    for (Class<?> t : STEWARD_PUBLIC_TYPES) {
      if (t.getPackageName().equals("dev.steward.governance")
          && t.getEnclosingClass() == null
          && !t.isInterface()
          && !Throwable.class.isAssignableFrom(t)
          && !hasEntryPoint(t)
          && !inAnotherPublicSignature(t)) {
        leaked.add(t.getSimpleName());
      }
    }
    assertThat(leaked).as("public types no user constructs, receives or implements").isEmpty();
  }

  @Test
  void theCheckFindsAnInternal() {
    // the split-out internals are package-private and would be reported if made public
    for (Class<?> internal :
        List.of(
            LadderJson.class, StandingDecider.class, Explanations.class, EvaluationWork.class)) {
      assertThat(Modifier.isPublic(internal.getModifiers())).as(internal.getName()).isFalse();
      assertThat(hasEntryPoint(internal) || inAnotherPublicSignature(internal))
          .as(internal.getName())
          .isFalse();
    }
  }

  private static boolean hasEntryPoint(Class<?> t) {
    for (Method m : t.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())
          && m.getDeclaringClass() == t
          && (m.getReturnType() == t || m.getReturnType().getEnclosingClass() == t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inAnotherPublicSignature(Class<?> t) {
    for (Class<?> owner : STEWARD_PUBLIC_TYPES) {
      if (owner == t || owner.getEnclosingClass() == t) {
        continue;
      }
      Set<Type> types = new HashSet<>();
      for (Method m : owner.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers())) {
          types.add(m.getGenericReturnType());
          addParameters(m, types);
        }
      }
      for (Executable c : owner.getDeclaredConstructors()) {
        if (Modifier.isPublic(c.getModifiers())) {
          addParameters(c, types);
        }
      }
      for (Field f : owner.getDeclaredFields()) {
        if (Modifier.isPublic(f.getModifiers())) {
          types.add(f.getGenericType());
        }
      }
      for (Type type : types) {
        if (mentions(type, t)) {
          return true;
        }
      }
    }
    return false;
  }

  private static void addParameters(Executable e, Set<Type> into) {
    for (Type p : e.getGenericParameterTypes()) {
      into.add(p);
    }
  }

  private static boolean mentions(Type type, Class<?> t) {
    if (type == t) {
      return true;
    }
    if (type instanceof Class<?> c) {
      return c.isArray() && mentions(c.getComponentType(), t);
    }
    if (type instanceof ParameterizedType p) {
      if (mentions(p.getRawType(), t)) {
        return true;
      }
      for (Type a : p.getActualTypeArguments()) {
        if (mentions(a, t)) {
          return true;
        }
      }
      return false;
    }
    if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        if (mentions(b, t)) {
          return true;
        }
      }
      for (Type b : w.getLowerBounds()) {
        if (mentions(b, t)) {
          return true;
        }
      }
    }
    return false;
  }
}
